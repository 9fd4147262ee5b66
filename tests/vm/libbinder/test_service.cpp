#include "test_service.h"

namespace binder_test {

IMPLEMENT_META_INTERFACE(TestService, "binder_lite.test.ITestService")

}  // namespace binder_test

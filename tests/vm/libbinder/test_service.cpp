#include "test_service.h"

#include <thread>

#include <binder/IPCThreadState.h>
#include <binder/ProcessState.h>
#include <gtest/gtest.h>

namespace binder_test {

IMPLEMENT_META_INTERFACE(TestService, "binder_lite.test.ITestService")

std::unique_ptr<ChildProcess> startContextManager(
    std::function<android::sp<android::BBinder>()> makeService, size_t maxThreads) {
  Pipe ready;
  auto child = std::make_unique<ChildProcess>("service", [&ready, &makeService, maxThreads] {
    android::sp<android::ProcessState> process = android::ProcessState::self();
    ASSERT_TRUE(process->isValid());
    ASSERT_EQ(process->setThreadPoolMaxThreadCount(maxThreads), android::OK);
    android::sp<android::BBinder> service = makeService();
    // The previous test's service may still be going away (the driver releases a dead
    // process's context manager node from a work item): retry for a while.
    bool manager = false;
    for (int attempt = 0; attempt < 100 && !manager; ++attempt) {
      manager = process->becomeContextManager(service);
      if (!manager) std::this_thread::sleep_for(50ms);
    }
    ASSERT_TRUE(manager);
    process->startThreadPool();
    ready.send(1);
    android::IPCThreadState::self()->joinThreadPool(true);
  });
  EXPECT_TRUE(ready.receive(30s).has_value()) << "the service did not start";
  return child;
}

}  // namespace binder_test

#include <utils/String16.h>
#include <utils/String8.h>
#include <utils/Unicode.h>

#include <map>
#include <unordered_set>

#include <gtest/gtest.h>

namespace android {
namespace {

// "é" (2 bytes), "€" (3 bytes), U+1F600 (4 bytes, a surrogate pair in UTF-16).
constexpr char kMixedUtf8[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
constexpr char16_t kMixedUtf16[] = u"a\u00E9\u20AC\U0001F600";

TEST(StringTest, String16FromUtf8ConvertsNonAsciiAndSurrogatePairs) {
    const String16 s(kMixedUtf8);
    ASSERT_EQ(s.size(), 5u);  // a, é, €, lead and trail surrogate
    EXPECT_EQ(s.view(), std::u16string_view(kMixedUtf16));
    EXPECT_EQ(s.c_str()[3], 0xD83D);
    EXPECT_EQ(s.c_str()[4], 0xDE00);
    EXPECT_EQ(s.c_str()[5], 0);
}

TEST(StringTest, String8FromUtf16ConvertsBack) {
    const String8 s(kMixedUtf16);
    EXPECT_EQ(s.size(), sizeof(kMixedUtf8) - 1);
    EXPECT_STREQ(s.c_str(), kMixedUtf8);
    EXPECT_EQ(String8(String16(s)), s);
}

TEST(StringTest, UnpairedSurrogatesSurviveARoundTrip) {
    const char16_t lone[] = {u'x', 0xD800, u'y', 0xDC01, 0};
    const String8 utf8(lone);
    EXPECT_EQ(utf8.size(), 1u + 3u + 1u + 3u);
    EXPECT_EQ(String16(utf8).view(), std::u16string_view(lone));
    // A lead surrogate at the very end is unpaired too.
    const char16_t trailingLead[] = {u'a', 0xD83D, 0};
    EXPECT_EQ(String16(String8(trailingLead)).view(), std::u16string_view(trailingLead));
}

TEST(StringTest, MalformedUtf8IsRejected) {
    for (const char* bad : {"\x80", "\xC3", "\xE2\x82", "\xF0\x9F\x98", "\xC0\x80",
                            "\xF4\x90\x80\x80", "\xFF", "ok\xC3("}) {
        SCOPED_TRACE(testing::PrintToString(std::string(bad)));
        EXPECT_FALSE(utf8ToUtf16(bad).has_value());
        EXPECT_TRUE(String16(bad).empty());
        String16 target(u"unchanged");
        EXPECT_EQ(target.setTo(std::string_view(bad)), BAD_VALUE);
        EXPECT_EQ(target, String16(u"unchanged"));
    }
}

TEST(StringTest, ConstructionFromEveryCharacterSource) {
    EXPECT_EQ(String8("abc").size(), 3u);
    EXPECT_EQ(String8("abcdef", 2), String8("ab"));
    EXPECT_EQ(String8(std::string_view("xyz")), String8("xyz"));
    EXPECT_EQ(String8(static_cast<const char*>(nullptr)), String8());
    EXPECT_EQ(String16(std::u16string_view(u"xyz")), String16(u"xyz"));
    EXPECT_EQ(String16(std::string_view("xyz")), String16(u"xyz"));
    EXPECT_EQ(String16(u"abcdef", 3), String16("abc"));
    EXPECT_EQ(String16(static_cast<const char16_t*>(nullptr)), String16());
    // Embedded NULs are kept when the length is explicit.
    EXPECT_EQ(String16(u"a\0b", 3).size(), 3u);
    EXPECT_STREQ(String8("abc").string(), "abc");
}

TEST(StringTest, ComparisonsAreByCodeUnit) {
    EXPECT_LT(String8("abc"), String8("abd"));
    EXPECT_LT(String8("ab"), String8("abc"));
    EXPECT_GT(String8("\xC3\xA9"), String8("z"));  // bytes compare unsigned
    EXPECT_EQ(String8("abc"), "abc");
    EXPECT_NE(String8("abc"), "abd");
    EXPECT_LT(String16(u"abc"), String16(u"abd"));
    EXPECT_EQ(String16(u"abc"), u"abc");
    EXPECT_NE(String16(u"abc"), static_cast<const char16_t*>(nullptr));

    std::map<String16, int> byName{{String16(u"b"), 2}, {String16(u"a"), 1}};
    EXPECT_EQ(byName.begin()->second, 1);
    std::unordered_set<String8> names{String8("x"), String8("y"), String8("x")};
    EXPECT_EQ(names.size(), 2u);
}

TEST(StringTest, AppendFindAndFormat) {
    String8 s("hello");
    ASSERT_EQ(s.append(", "), OK);
    ASSERT_EQ(s.appendFormat("%s #%d", "world", 42), OK);
    EXPECT_EQ(s, "hello, world #42");
    EXPECT_EQ(s.find("world"), 7);
    EXPECT_EQ(s.find("absent"), -1);
    EXPECT_TRUE(s.contains("#42"));
    EXPECT_TRUE(s.startsWith("hell"));
    EXPECT_EQ(String8::format("%05.1f|%x", 3.14159, 255), "003.1|ff");
    // Longer than any small internal buffer.
    EXPECT_EQ(String8::format("%s", std::string(1000, 'q').c_str()).size(), 1000u);

    String16 t(u"a/b/c");
    EXPECT_EQ(t.findFirst(u'/'), 1);
    EXPECT_EQ(t.findLast(u'/'), 3);
    EXPECT_EQ(t.findFirst(u'x'), -1);
    EXPECT_TRUE(t.startsWith(u"a/"));
    EXPECT_TRUE(t.contains(u"b/c"));
    EXPECT_EQ(t + String16(u"/d"), String16(u"a/b/c/d"));
}

}  // namespace
}  // namespace android

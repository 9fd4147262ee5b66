#include <utils/RefBase.h>
#include <utils/StrongPointer.h>

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace android {
namespace {

// What happened to a tracked object; outlives the object so tests can look after its death.
struct Events {
    std::atomic<int> firstRefs{0};
    std::atomic<int> lastStrongRefs{0};
    std::atomic<int> incStrongAttempts{0};
    std::atomic<int> lastWeakRefs{0};
    std::atomic<int> destructions{0};
};

class Tracked : public RefBase {
public:
    explicit Tracked(Events* events, bool weakLifetime = false, bool allowRevival = true)
        : mEvents(events), mAllowRevival(allowRevival) {
        if (weakLifetime) extendObjectLifetime(OBJECT_LIFETIME_WEAK);
    }
    ~Tracked() override { ++mEvents->destructions; }

    int value = 7;

protected:
    void onFirstRef() override { ++mEvents->firstRefs; }
    void onLastStrongRef(const void*) override { ++mEvents->lastStrongRefs; }
    bool onIncStrongAttempted(uint32_t flags, const void* id) override {
        ++mEvents->incStrongAttempts;
        return mAllowRevival && RefBase::onIncStrongAttempted(flags, id);
    }
    void onLastWeakRef(const void*) override { ++mEvents->lastWeakRefs; }

private:
    Events* const mEvents;
    const bool mAllowRevival;
};

class Derived : public Tracked {
public:
    using Tracked::Tracked;
};

TEST(RefBaseTest, OnFirstRefRunsOnceForManyStrongReferences) {
    Events events;
    {
        sp<Tracked> first = sp<Tracked>::make(&events);
        EXPECT_EQ(events.firstRefs, 1);
        EXPECT_EQ(first->getStrongCount(), 1);
        sp<Tracked> second = first;
        sp<Tracked> third(first.get());
        EXPECT_EQ(first->getStrongCount(), 3);
        second.clear();
        EXPECT_EQ(first->getStrongCount(), 2);
        EXPECT_EQ(events.firstRefs, 1);
        EXPECT_EQ(events.lastStrongRefs, 0);
        EXPECT_EQ(events.destructions, 0);
    }
    EXPECT_EQ(events.firstRefs, 1);
    EXPECT_EQ(events.lastStrongRefs, 1);
    EXPECT_EQ(events.destructions, 1);
}

TEST(RefBaseTest, StrongCountStartsAtTheInitialValue) {
    Events events;
    auto* raw = new Tracked(&events);
    EXPECT_EQ(raw->getStrongCount(), RefBase::INITIAL_STRONG_VALUE);
    sp<Tracked> strong(raw);  // adopts the object: the first strong reference
    EXPECT_EQ(raw->getStrongCount(), 1);
    EXPECT_EQ(events.firstRefs, 1);
}

TEST(RefBaseTest, PromoteSucceedsWhileAliveAndFailsAfterDestruction) {
    Events events;
    sp<Tracked> strong = sp<Tracked>::make(&events);
    wp<Tracked> weak = strong;
    EXPECT_EQ(weak.get_refs()->getWeakCount(), 2);  // the sp's and the wp's
    {
        sp<Tracked> promoted = weak.promote();
        ASSERT_NE(promoted, nullptr);
        EXPECT_EQ(promoted, strong);
        EXPECT_EQ(promoted->getStrongCount(), 2);
    }
    strong.clear();
    EXPECT_EQ(events.lastStrongRefs, 1);
    EXPECT_EQ(events.destructions, 1);
    // The weak block outlives the object, so the wp can still ask, and is told no.
    EXPECT_EQ(weak.promote(), nullptr);
    EXPECT_EQ(weak.get_refs()->getWeakCount(), 1);
    EXPECT_EQ(events.lastWeakRefs, 0);  // only for OBJECT_LIFETIME_WEAK
}

TEST(RefBaseTest, PromoteTakesTheFirstStrongReferenceWithoutOnFirstRef) {
    Events events;
    auto* raw = new Tracked(&events);
    wp<Tracked> weak(raw);
    sp<Tracked> promoted = weak.promote();
    ASSERT_EQ(promoted.get(), raw);
    EXPECT_EQ(raw->getStrongCount(), 1);
    EXPECT_EQ(events.firstRefs, 0);  // AOSP: attemptIncStrong never calls onFirstRef
    promoted.clear();
    EXPECT_EQ(events.destructions, 1);
}

TEST(RefBaseTest, WeakLifetimeKeepsTheObjectUntilTheLastWeakReference) {
    Events events;
    sp<Tracked> strong = sp<Tracked>::make(&events, /*weakLifetime=*/true);
    wp<Tracked> weak = strong;
    strong.clear();
    EXPECT_EQ(events.lastStrongRefs, 1);
    EXPECT_EQ(events.destructions, 0);

    // Revival asks the object first.
    sp<Tracked> revived = weak.promote();
    ASSERT_NE(revived, nullptr);
    EXPECT_EQ(events.incStrongAttempts, 1);
    EXPECT_EQ(revived->value, 7);
    EXPECT_EQ(revived->getStrongCount(), 1);
    revived.clear();
    EXPECT_EQ(events.lastStrongRefs, 2);
    EXPECT_EQ(events.destructions, 0);

    weak.clear();
    EXPECT_EQ(events.lastWeakRefs, 1);
    EXPECT_EQ(events.destructions, 1);
}

TEST(RefBaseTest, WeakLifetimeObjectCanRefuseRevival) {
    Events events;
    sp<Tracked> strong = sp<Tracked>::make(&events, /*weakLifetime=*/true, /*allowRevival=*/false);
    wp<Tracked> weak = strong;
    strong.clear();
    EXPECT_EQ(weak.promote(), nullptr);
    EXPECT_EQ(events.incStrongAttempts, 1);
    EXPECT_EQ(weak.get_refs()->getWeakCount(), 1);  // the failed attempt gave its reference back
    weak.clear();
    EXPECT_EQ(events.destructions, 1);
}

TEST(RefBaseTest, ForceSetRevivesAWeakLifetimeObjectAndRunsOnFirstRefAgain) {
    Events events;
    sp<Tracked> strong = sp<Tracked>::make(&events, /*weakLifetime=*/true);
    wp<Tracked> weak = strong;
    Tracked* raw = strong.get();
    strong.clear();
    EXPECT_EQ(raw->getStrongCount(), 0);
    sp<Tracked> forced;
    forced.force_set(raw);
    EXPECT_EQ(raw->getStrongCount(), 1);
    EXPECT_EQ(events.firstRefs, 2);
    forced.clear();
    weak.clear();
    EXPECT_EQ(events.destructions, 1);
}

TEST(RefBaseTest, AttemptIncWeakFailsOnceTheWeakCountIsZero) {
    Events events;
    sp<Tracked> strong = sp<Tracked>::make(&events);
    RefBase::weakref_type* refs = strong->createWeak(this);
    EXPECT_TRUE(refs->attemptIncWeak(this));
    EXPECT_EQ(refs->getWeakCount(), 3);
    refs->decWeak(this);
    EXPECT_EQ(refs->refBase(), strong.get());
    strong.clear();
    EXPECT_EQ(events.destructions, 1);
    EXPECT_FALSE(refs->attemptIncStrong(this));
    refs->decWeak(this);  // the last weak reference frees the block
}

TEST(RefBaseTest, SmartPointerConversionsAndComparisons) {
    Events events;
    sp<Derived> derived = sp<Derived>::make(&events);
    sp<Tracked> base = derived;
    EXPECT_EQ(base, derived);
    EXPECT_EQ(base, derived.get());
    EXPECT_TRUE(base != nullptr);
    EXPECT_EQ(derived->getStrongCount(), 2);

    sp<Tracked> moved = std::move(base);
    EXPECT_EQ(base, nullptr);  // moved-from is null
    EXPECT_EQ(derived->getStrongCount(), 2);

    wp<Tracked> weak = derived;
    wp<Tracked> weakCopy = weak;
    EXPECT_EQ(weak, weakCopy);
    EXPECT_EQ(weak, derived.get());

    sp<Derived> other = sp<Derived>::make(&events);
    EXPECT_NE(other, derived);
    EXPECT_EQ(other < derived, other.get() < derived.get());
    EXPECT_FALSE(sp<Tracked>());
}

TEST(RefBaseTest, ConcurrentCopiesAndPromotionsDestroyExactlyOnce) {
    Events events;
    constexpr int kThreads = 4;
    constexpr int kIterations = 20000;
    for (int round = 0; round < 5; ++round) {
        sp<Tracked> strong = sp<Tracked>::make(&events);
        wp<Tracked> weak = strong;
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                while (!go) std::this_thread::yield();
                for (int i = 0; i < kIterations; ++i) {
                    if (t == 0 && i == kIterations / 2) strong.clear();  // only thread 0 owns it
                    if (sp<Tracked> promoted = weak.promote()) {
                        sp<Tracked> copy = promoted;
                        EXPECT_EQ(copy->value, 7);
                    }
                }
            });
        }
        go = true;
        for (auto& thread : threads) thread.join();
        EXPECT_EQ(weak.promote(), nullptr);
    }
    EXPECT_EQ(events.destructions, 5);
    EXPECT_EQ(events.firstRefs, 5);
    EXPECT_EQ(events.lastStrongRefs, 5);
}

}  // namespace
}  // namespace android

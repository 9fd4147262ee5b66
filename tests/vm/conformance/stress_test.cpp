// Many processes and threads calling one server at once: every call gets its own reply.
#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "binder_driver.h"
#include "child_process.h"

namespace binder_test {
namespace {

constexpr uint32_t kProcesses = 8;
constexpr uint32_t kThreadsPerProcess = 4;
constexpr uint32_t kCallsPerThread = 100;
constexpr uint32_t kServerThreads = 4;
constexpr uint32_t kWords = 64;  // 256 bytes of payload per call
constexpr std::chrono::milliseconds kStressTimeout = 90s;

// Call data: the caller's pid, thread index and call index, then words derived from them.
uint32_t wordOf(uint32_t pid, uint32_t thread, uint32_t call, uint32_t index) {
  return (pid * 2654435761u) ^ (thread << 24) ^ (call << 12) ^ index;
}

// The server answers each word plus one, and the sender pid it saw.
void serve(BinderConnection& manager, std::atomic<uint32_t>& served, uint32_t total) {
  manager.enterLooper();
  const auto deadline = std::chrono::steady_clock::now() + kStressTimeout;
  while (served.load() < total && std::chrono::steady_clock::now() < deadline) {
    for (const Event& event : manager.read(100ms)) {
      if (event.cmd != BR_TRANSACTION) continue;
      const ReceivedTransaction& txn = event.txn;
      EXPECT_EQ(txn.tr.sender_pid, static_cast<pid_t>(txn.at<uint32_t>(0)));
      Payload reply;
      for (size_t offset = 0; offset + sizeof(uint32_t) <= txn.data.size(); offset += 4) {
        reply.putU32(txn.at<uint32_t>(offset) + 1);
      }
      reply.putU32(static_cast<uint32_t>(txn.tr.sender_pid));
      EXPECT_EQ(manager.write(CommandWriter().freeBuffer(txn.buffer()).reply(std::move(reply))), 0);
      served.fetch_add(1);
    }
  }
}

void callRepeatedly(BinderConnection& connection, uint32_t thread) {
  const uint32_t pid = static_cast<uint32_t>(::getpid());
  for (uint32_t call = 0; call < kCallsPerThread; ++call) {
    Payload payload;
    payload.putU32(pid).putU32(thread).putU32(call);
    for (uint32_t i = 3; i < kWords; ++i) payload.putU32(wordOf(pid, thread, call, i));
    std::vector<Event> events = connection.call(0, call, std::move(payload), 0, kStressTimeout);
    ASSERT_EQ(lastCommandName(events), "BR_REPLY");
    const ReceivedTransaction& reply = events.back().txn;
    ASSERT_EQ(reply.data.size(), (kWords + 1) * sizeof(uint32_t));
    EXPECT_EQ(reply.at<uint32_t>(0), pid + 1);
    EXPECT_EQ(reply.at<uint32_t>(4), thread + 1);
    EXPECT_EQ(reply.at<uint32_t>(8), call + 1);
    for (uint32_t i = 3; i < kWords; ++i) {
      ASSERT_EQ(reply.at<uint32_t>(i * 4), wordOf(pid, thread, call, i) + 1) << "word " << i;
    }
    EXPECT_EQ(reply.at<uint32_t>(kWords * 4), pid) << "sender pid seen by the server";
    EXPECT_EQ(connection.write(CommandWriter().freeBuffer(reply.buffer())), 0);
  }
}

TEST(Stress, ManyProcessesAndThreadsCallAtOnce) {
  constexpr uint32_t kTotal = kProcesses * kThreadsPerProcess * kCallsPerThread;
  BinderConnection manager;
  manager.becomeContextManager();

  // Clients first: forking while the server threads run would copy a busy process.
  std::vector<std::unique_ptr<ChildProcess>> clients;
  for (uint32_t p = 0; p < kProcesses; ++p) {
    clients.push_back(std::make_unique<ChildProcess>("client " + std::to_string(p), [] {
      BinderConnection connection;
      std::vector<std::thread> threads;
      for (uint32_t t = 0; t < kThreadsPerProcess; ++t) {
        threads.emplace_back([&connection, t] { callRepeatedly(connection, t); });
      }
      for (std::thread& thread : threads) thread.join();
    }));
  }

  std::atomic<uint32_t> served = 0;
  std::vector<std::thread> servers;
  for (uint32_t i = 0; i < kServerThreads; ++i) {
    servers.emplace_back([&] { serve(manager, served, kTotal); });
  }
  for (auto& client : clients) client->wait(kStressTimeout);
  for (std::thread& server : servers) server.join();
  EXPECT_EQ(served.load(), kTotal);
}

}  // namespace
}  // namespace binder_test

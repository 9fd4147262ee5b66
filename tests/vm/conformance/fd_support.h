// Helpers shared by the fd-passing tests (fd_test.cpp, fda_test.cpp): pipes to send, and the
// inode that tells whether two fds name the same file.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "unique_fd.h"

namespace binder_test {

struct PipeFds {
  UniqueFd read;
  UniqueFd write;
};

inline PipeFds makePipe() {
  int fds[2] = {-1, -1};
  EXPECT_EQ(::pipe(fds), 0) << std::strerror(errno);
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

inline ino_t inodeOf(int fd) {
  struct stat st {};
  EXPECT_EQ(::fstat(fd, &st), 0) << "fd " << fd << ": " << std::strerror(errno);
  return st.st_ino;
}

}  // namespace binder_test

# CMake toolchain for 32-bit x86 (i386) programs built on an x86-64 Debian host with the
# distribution's multilib compilers (gcc-multilib, g++-multilib): the host compiler with -m32.
# Programs link statically, so a guest that runs them needs no i386 libraries, only a kernel
# with CONFIG_IA32_EMULATION.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)

set(CMAKE_C_FLAGS_INIT -m32)
set(CMAKE_CXX_FLAGS_INIT -m32)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32 -static")

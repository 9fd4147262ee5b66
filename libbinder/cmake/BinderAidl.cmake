# BinderAidl.cmake: binder_add_aidl(), which compiles AIDL interfaces and parcelables into C++
# for libbinder with the aidl tool (Android 10's, Debian package 'aidl') and adds the result to
# a target. Part of the binder-lite CMake package: find_package(binder-lite) defines it.
#
#   binder_add_aidl(<target> FILES <file.aidl>... [INCLUDE_DIRS <dir>...])
#
# Each file must sit under a folder path that matches its package (com/example/IFoo.aidl for
# package com.example); the folder above the package is its import root. For an interface
# IFoo (or a structured parcelable Foo) aidl writes IFoo.h, BpFoo.h and BnFoo.h (the I is
# dropped only before a capital) and IFoo.cpp; the sources are compiled into <target>, and the
# header folder is added to its PUBLIC include path, so whatever links <target> includes
# <com/example/IFoo.h>. An unstructured parcelable (`parcelable Foo cpp_header "...";`) has
# no generated code: it is only an import root for the others.
#
# INCLUDE_DIRS are further import roots, for .aidl files that are imported but not compiled
# here. <target> must link binder-lite::binder (or binder_static) for the generated code to
# build. A file is regenerated when it, or any .aidl it imports, changes; a change of package
# re-runs CMake.

# Policies for the function below (it records them where it is defined): DEPFILE paths are
# relative to the binary folder (all ours are absolute anyway).
cmake_policy(PUSH)
cmake_policy(VERSION 3.20...3.25)

function(binder_add_aidl target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "FILES;INCLUDE_DIRS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "binder_add_aidl: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "binder_add_aidl: '${target}' is not a target")
  endif()
  if(NOT arg_FILES)
    message(FATAL_ERROR "binder_add_aidl(${target}): no FILES given")
  endif()
  # The generated sources are the outputs of custom commands in this folder, which only
  # targets of this folder can build.
  get_target_property(target_dir ${target} SOURCE_DIR)
  if(NOT target_dir STREQUAL CMAKE_CURRENT_SOURCE_DIR)
    message(FATAL_ERROR "binder_add_aidl(${target}): call it in the folder that defines "
                        "the target (${target_dir})")
  endif()

  find_program(BINDER_AIDL_EXECUTABLE aidl
    DOC "The aidl compiler (Android 10) that binder_add_aidl() runs")
  if(NOT BINDER_AIDL_EXECUTABLE)
    message(FATAL_ERROR "binder_add_aidl(${target}): the 'aidl' compiler was not found. "
                        "Install the Debian package 'aidl' (apt-get install aidl), or set "
                        "BINDER_AIDL_EXECUTABLE to its path.")
  endif()

  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/aidl/${target})
  set(header_dir ${out_dir}/include)
  set(source_dir ${out_dir}/src)

  # First pass: each file's package and import root, so that every file can import the others.
  set(import_roots)
  foreach(dir IN LISTS arg_INCLUDE_DIRS)
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE)
    list(APPEND import_roots ${dir})
  endforeach()
  set(units)
  foreach(file IN LISTS arg_FILES)
    cmake_path(ABSOLUTE_PATH file BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE)
    if(NOT EXISTS ${file})
      message(FATAL_ERROR "binder_add_aidl(${target}): no such file: ${file}")
    endif()
    # The package and the kind decide the output names: re-run CMake when the file changes.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(READ ${file} text)
    cmake_path(GET file STEM name)
    set(package "")
    if(text MATCHES "(^|[\n;])[ \t\r]*package[ \t\r\n]+([A-Za-z0-9_.]+)[ \t\r\n]*;")
      set(package ${CMAKE_MATCH_2})
    endif()
    string(REPLACE "." "/" package_path "${package}")
    cmake_path(GET file PARENT_PATH file_dir)
    if(package_path STREQUAL "")
      set(root ${file_dir})
    elseif(file_dir MATCHES "^(.*)/${package_path}$")
      set(root ${CMAKE_MATCH_1})
    else()
      message(FATAL_ERROR "binder_add_aidl(${target}): ${file} declares package '${package}' "
                          "but is not in a folder ${package_path}/")
    endif()
    list(APPEND import_roots ${root})
    # Unstructured parcelables (declared here, written in C++ by hand) have no code to generate.
    if(text MATCHES "parcelable[ \t\r\n]+${name}[ \t\r\n]*(;|cpp_header)")
      continue()
    endif()
    list(APPEND units "${file}|${package_path}|${name}")
  endforeach()
  list(REMOVE_DUPLICATES import_roots)
  list(TRANSFORM import_roots PREPEND "-I" OUTPUT_VARIABLE import_flags)

  set(generated_sources)
  foreach(unit IN LISTS units)
    string(REPLACE "|" ";" unit "${unit}")
    list(GET unit 0 file)
    list(GET unit 1 package_path)
    list(GET unit 2 name)
    # Bp/Bn classes drop an interface's leading I (IFoo -> BpFoo), as aidl's ClassName() does.
    set(base ${name})
    if(name MATCHES "^I[A-Z]")
      string(SUBSTRING ${name} 1 -1 base)
    endif()
    set(h ${header_dir}/${package_path})
    set(cpp ${source_dir}/${package_path}/${name}.cpp)
    cmake_path(RELATIVE_PATH file BASE_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE shown)
    add_custom_command(
      OUTPUT ${cpp} ${h}/${name}.h ${h}/Bp${base}.h ${h}/Bn${base}.h
      COMMAND ${BINDER_AIDL_EXECUTABLE} --lang=cpp ${import_flags}
              --ninja -d ${cpp}.d --header_out ${header_dir} -o ${source_dir} ${file}
      DEPENDS ${file} ${BINDER_AIDL_EXECUTABLE}
      DEPFILE ${cpp}.d
      COMMENT "Generating C++ from ${shown}"
      VERBATIM)
    list(APPEND generated_sources ${cpp})
    target_sources(${target} PRIVATE ${cpp} ${h}/${name}.h ${h}/Bp${base}.h ${h}/Bn${base}.h)
  endforeach()

  # The generated code is not ours to fix, and two of its idioms trip the warnings projects
  # commonly enable: a parcelable's writer ignores the result of the writeInt32() that reserves
  # its size word ([[nodiscard]] in libbinder), and stores that size_t difference into an
  # int32 (-Wconversion). Relaxed for the generated sources only.
  set_source_files_properties(${generated_sources} PROPERTIES
    COMPILE_OPTIONS "-Wno-unused-result;-Wno-conversion")
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${header_dir}>)
endfunction()

cmake_policy(POP)

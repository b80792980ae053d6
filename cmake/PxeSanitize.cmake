# PxeSanitize.cmake - the -DPXE_SANITIZE=ON build: AddressSanitizer and
# UndefinedBehaviorSanitizer on the core, the plugin, pxe-report and the tests.
#
# tshark itself is not sanitized, so loading the sanitized plugin needs the
# ASan runtime preloaded; tests/lib/sanitizer-env prints the environment.
# SPDX-License-Identifier: GPL-2.0-or-later
option(PXE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(PXE_SANITIZE)
    set(_pxe_san -fsanitize=address,undefined -fno-sanitize-recover=undefined
                 -fno-omit-frame-pointer)
    add_compile_options(${_pxe_san})
    add_link_options(${_pxe_san})
    # a module loaded into an unsanitized tshark may not insist on the runtime
    # being first; the preload provides it
    message(STATUS "pxediag: sanitizer build (ASan + UBSan)")
endif()

# -DPXE_FUZZ=ON (with CC=clang): everything instrumented for libFuzzer, ASan
# and UBSan, and tests/fuzz/fuzz_report built; only the fuzz.* tests run
# there (the plugin of this build cannot load into tshark).
option(PXE_FUZZ "Build the libFuzzer targets (needs clang)" OFF)
if(PXE_FUZZ)
    if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "PXE_FUZZ needs clang: configure with CC=clang")
    endif()
    set(_pxe_fuzz -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                  -fno-omit-frame-pointer)
    add_compile_options(${_pxe_fuzz})
    add_link_options(-fsanitize=address,undefined)
endif()

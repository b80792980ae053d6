# PxeInstallCheck.cmake - run by `cmake --install` before the first file is
# copied (an install(CODE) rule of PxeInstall.cmake sets _pxe_scope,
# _pxe_home, _pxe_cfg_uid, _pxe_plugin_dir and _pxe_build_dir). It stops an
# install that cannot work, saying what to run or pass instead, rather than
# failing halfway or putting root-owned files into a user's home.
# Skipped for CPack's own install (component "deb") and with DESTDIR.
# SPDX-License-Identifier: GPL-2.0-or-later

if(_pxe_install_checked OR CMAKE_INSTALL_COMPONENT STREQUAL "deb" OR NOT "$ENV{DESTDIR}" STREQUAL "")
    return()
endif()
set(_pxe_install_checked TRUE)

execute_process(COMMAND id -u OUTPUT_VARIABLE _uid OUTPUT_STRIP_TRAILING_WHITESPACE)

if(_pxe_scope STREQUAL "user" AND NOT _uid STREQUAL _pxe_cfg_uid)
    message(FATAL_ERROR
        "pxediag: this build was configured by uid ${_pxe_cfg_uid} for its own "
        "${_pxe_home}/.local, and you are uid ${_uid}.\n"
        "  Run `cmake --install ${_pxe_build_dir}` as that user, or, for a system-wide "
        "install as root,\n  reconfigure first: cmake -DPXE_PLUGIN_SCOPE=system "
        "-DCMAKE_INSTALL_PREFIX=/usr/local ${_pxe_build_dir}")
endif()

# The deepest existing directory of PATH: the one mkdir would write into.
function(_pxe_existing_parent path out)
    set(_p "${path}")
    while(NOT EXISTS "${_p}" AND NOT _p STREQUAL "/")
        get_filename_component(_p "${_p}" DIRECTORY)
    endwhile()
    set(${out} "${_p}" PARENT_SCOPE)
endfunction()

function(_pxe_writable path out)
    _pxe_existing_parent("${path}" _p)
    execute_process(COMMAND test -w "${_p}" RESULT_VARIABLE _rc)
    if(_rc EQUAL 0)
        set(${out} TRUE PARENT_SCOPE)
    else()
        set(${out} FALSE PARENT_SCOPE)
    endif()
endfunction()

if(NOT CMAKE_INSTALL_COMPONENT OR CMAKE_INSTALL_COMPONENT STREQUAL "plugin")
    _pxe_writable("${_pxe_plugin_dir}" _ok)
    if(NOT _ok)
        message(FATAL_ERROR
            "pxediag: the plugin goes into ${_pxe_plugin_dir} (scope ${_pxe_scope}), "
            "which you cannot write.\n"
            "  Run `sudo cmake --install ${_pxe_build_dir}` for the system directory, or "
            "reconfigure for your own\n  ~/.local: cmake -DPXE_PLUGIN_SCOPE=user "
            "-DCMAKE_INSTALL_PREFIX=$HOME/.local ${_pxe_build_dir}")
    endif()
endif()
if(NOT CMAKE_INSTALL_COMPONENT OR CMAKE_INSTALL_COMPONENT STREQUAL "report")
    _pxe_writable("${CMAKE_INSTALL_PREFIX}/bin" _ok)
    if(NOT _ok)
        if(_pxe_scope STREQUAL "system")
            set(_how "Run the install as root, or give")
        else()
            set(_how "Give")
        endif()
        message(FATAL_ERROR
            "pxediag: pxe-report goes into ${CMAKE_INSTALL_PREFIX}/bin, which you cannot "
            "write.\n  ${_how} a prefix of yours: "
            "`cmake --install ${_pxe_build_dir} --prefix $HOME/.local` (this time) or\n"
            "  cmake -DCMAKE_INSTALL_PREFIX=$HOME/.local ${_pxe_build_dir} (from now on)")
    endif()
endif()

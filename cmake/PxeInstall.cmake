# PxeInstall.cmake - where `cmake --install` puts pxediag, the uninstall
# target, and the Debian package built by CPack.
#
# Two scopes, chosen at configure time (PXE_PLUGIN_SCOPE, auto: by who
# configures):
#   user    everything under ~/.local: the plugin in Wireshark's per-user
#           directory ~/.local/lib/wireshark/plugins/<major.minor>/epan,
#           pxe-report in ~/.local/bin, its man page in ~/.local/share/man/man1
#   system  the plugin in Wireshark's system plugin directory (tshark run as
#           root reads no other), pxe-report in CMAKE_INSTALL_PREFIX/bin
# An explicit -DCMAKE_INSTALL_PREFIX is kept in both scopes; it moves
# pxe-report and the man page, not the plugin (Wireshark looks for plugins in
# those two directories only; -DPXE_PLUGIN_DIR moves it).
#
# The .deb (`cpack -G DEB`) always has the system layout, whoever configured
# the build: it installs the component "deb", whose rules name the system
# paths and which a plain `cmake --install` leaves out.
#
# Included from the top-level CMakeLists.txt before the subdirectories, so the
# prefix is settled before GNUInstallDirs and the install rules use it.
# SPDX-License-Identifier: GPL-2.0-or-later

set(PXE_PLUGIN_SCOPE "auto" CACHE STRING
    "Install the plugin for: user, system or auto (root: system, others: user)")
set_property(CACHE PXE_PLUGIN_SCOPE PROPERTY STRINGS auto user system)

execute_process(COMMAND id -u OUTPUT_VARIABLE _pxe_uid OUTPUT_STRIP_TRAILING_WHITESPACE)
if(PXE_PLUGIN_SCOPE STREQUAL "auto")
    if(_pxe_uid STREQUAL "0")
        set(PXE_SCOPE system)
    else()
        set(PXE_SCOPE user)
    endif()
elseif(PXE_PLUGIN_SCOPE MATCHES "^(user|system)$")
    set(PXE_SCOPE ${PXE_PLUGIN_SCOPE})
else()
    message(FATAL_ERROR "PXE_PLUGIN_SCOPE must be auto, user or system, not '${PXE_PLUGIN_SCOPE}'")
endif()
set(PXE_USER_HOME "$ENV{HOME}")
if(PXE_SCOPE STREQUAL "user" AND NOT PXE_USER_HOME)
    message(FATAL_ERROR "pxediag: HOME is not set, so there is no ~/.local to install into: "
                        "set HOME, or pass -DPXE_PLUGIN_SCOPE=system")
endif()

# The user scope's default prefix is ~/.local instead of /usr/local. A prefix
# we chose ourselves (remembered in _PXE_AUTO_PREFIX) follows a later change
# of scope; one given with -DCMAKE_INSTALL_PREFIX is never touched.
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT
   OR (DEFINED _PXE_AUTO_PREFIX AND CMAKE_INSTALL_PREFIX STREQUAL _PXE_AUTO_PREFIX))
    if(PXE_SCOPE STREQUAL "user")
        set(_pxe_prefix "${PXE_USER_HOME}/.local")
    else()
        set(_pxe_prefix "/usr/local")
    endif()
    set(CMAKE_INSTALL_PREFIX "${_pxe_prefix}" CACHE PATH "Install path prefix" FORCE)
    set(_PXE_AUTO_PREFIX "${_pxe_prefix}" CACHE INTERNAL "prefix chosen by PxeInstall.cmake")
endif()
# a prefix given by hand that this user cannot write: say so now, not at install
if(PXE_SCOPE STREQUAL "user" AND NOT _pxe_uid STREQUAL "0")
    set(_pxe_p "${CMAKE_INSTALL_PREFIX}")
    while(NOT EXISTS "${_pxe_p}" AND NOT _pxe_p STREQUAL "/")
        get_filename_component(_pxe_p "${_pxe_p}" DIRECTORY)
    endwhile()
    execute_process(COMMAND test -w "${_pxe_p}" RESULT_VARIABLE _pxe_rc)
    if(NOT _pxe_rc EQUAL 0)
        message(WARNING "pxediag: CMAKE_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX} is not writable "
                        "by you, so `cmake --install` will stop: pass "
                        "-DCMAKE_INSTALL_PREFIX=$ENV{HOME}/.local (or run everything as root "
                        "for a system-wide install)")
    endif()
endif()

# Uninstall: remove what the install manifests list.
configure_file(${CMAKE_CURRENT_LIST_DIR}/cmake_uninstall.cmake.in
               ${CMAKE_BINARY_DIR}/cmake_uninstall.cmake @ONLY)
add_custom_target(uninstall
    COMMAND ${CMAKE_COMMAND} -P ${CMAKE_BINARY_DIR}/cmake_uninstall.cmake
    COMMENT "Removing the files listed in install_manifest*.txt"
    VERBATIM)

# pxe_install_plugin(TARGET SERIES): the plugin's install rules. Called from
# plugin/CMakeLists.txt, where find_package(Wireshark) set its variables.
function(pxe_install_plugin target series)
    if(PXE_SCOPE STREQUAL "system")
        set(_dir "${Wireshark_PLUGIN_INSTALL_DIR}/epan")
    else()
        set(_dir "${PXE_USER_HOME}/.local/lib/wireshark/plugins/${series}/epan")
    endif()
    # same rule as the prefix: an automatic value follows the scope, a
    # -DPXE_PLUGIN_DIR given by hand stays
    if(NOT PXE_PLUGIN_DIR OR (DEFINED _PXE_AUTO_PLUGIN_DIR AND PXE_PLUGIN_DIR STREQUAL _PXE_AUTO_PLUGIN_DIR))
        set(PXE_PLUGIN_DIR "${_dir}" CACHE PATH "Directory the plugin is installed into" FORCE)
        set(_PXE_AUTO_PLUGIN_DIR "${_dir}" CACHE INTERNAL "plugin dir chosen by PxeInstall.cmake")
    endif()
    # Before the first install rule (the plugin's; CMP0082 keeps the order of
    # the subdirectories): stop early, saying what to pass, instead of failing
    # halfway or leaving root-owned files in a user's home. Once per install,
    # for the plugin's and pxe-report's components.
    foreach(_comp plugin report)
        install(CODE "
            set(_pxe_scope \"${PXE_SCOPE}\")
            set(_pxe_home \"${PXE_USER_HOME}\")
            set(_pxe_cfg_uid \"${_pxe_uid}\")
            set(_pxe_plugin_dir \"${PXE_PLUGIN_DIR}\")
            set(_pxe_build_dir \"${CMAKE_BINARY_DIR}\")
            include(\"${PROJECT_SOURCE_DIR}/cmake/PxeInstallCheck.cmake\")
        " COMPONENT ${_comp})
    endforeach()
    install(TARGETS ${target} LIBRARY DESTINATION "${PXE_PLUGIN_DIR}" COMPONENT plugin)
    # for setup.sh: the scope and both scopes' directories
    set(PXE_INSTALL_SCOPE "${PXE_SCOPE}" CACHE INTERNAL "")
    set(PXE_PLUGIN_SYSTEM_DIR "${Wireshark_PLUGIN_INSTALL_DIR}/epan" CACHE INTERNAL "")
    set(PXE_PLUGIN_USER_SUBDIR ".local/lib/wireshark/plugins/${series}/epan" CACHE INTERNAL "")
    message(STATUS "pxediag: install scope ${PXE_SCOPE}: plugin -> ${PXE_PLUGIN_DIR}, "
                   "pxe-report -> ${CMAKE_INSTALL_PREFIX}/bin")

    # The package's copy: Wireshark's own plugin directory, relative to its
    # prefix (Wireshark_PLUGIN_LIBDIR), so CPack puts it under /usr.
    if(Wireshark_INSTALL_PREFIX STREQUAL CPACK_PACKAGING_INSTALL_PREFIX)
        install(TARGETS ${target} LIBRARY DESTINATION "${Wireshark_PLUGIN_LIBDIR}/epan"
                PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
                COMPONENT deb EXCLUDE_FROM_ALL)
    else()
        message(STATUS "pxediag: Wireshark is installed in ${Wireshark_INSTALL_PREFIX}, not "
                       "${CPACK_PACKAGING_INSTALL_PREFIX}: the .deb will lack the plugin")
    endif()
endfunction()

# pxe_install_program(TARGET MANPAGE): a program and its section-1 man page,
# for `cmake --install` (prefix-relative) and for the package (gzipped, as
# Debian ships man pages).
function(pxe_install_program target manpage)
    include(GNUInstallDirs)
    install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT report)
    install(FILES ${manpage} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT report)

    get_filename_component(_name "${manpage}" NAME)
    set(_gz "${CMAKE_CURRENT_BINARY_DIR}/${_name}.gz")
    add_custom_command(OUTPUT "${_gz}"
        COMMAND gzip -9nc "${CMAKE_CURRENT_SOURCE_DIR}/${manpage}" > "${_gz}"
        DEPENDS "${manpage}"
        COMMENT "Compressing ${_name} for the package")
    add_custom_target(${target}-man-gz ALL DEPENDS "${_gz}")
    install(TARGETS ${target} RUNTIME DESTINATION bin COMPONENT deb EXCLUDE_FROM_ALL)
    install(FILES "${_gz}" DESTINATION share/man/man1 COMPONENT deb EXCLUDE_FROM_ALL)
endfunction()

# --- the Debian package ----------------------------------------------------
set(PXE_PACKAGE_MAINTAINER
    "pxediag maintainers <maintainers@users.noreply.r-seed-b71838d9.example>"
    CACHE STRING "Maintainer field of the .deb")

# Debian's copyright file carries the license (a .deb has no license field).
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/deb/copyright CONTENT
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: pxediag

Files: *
Copyright: 2026 pxediag authors
License: GPL-2.0+

License: GPL-2.0+
 This program is free software; you can redistribute it and/or modify
 it under the terms of the GNU General Public License as published by
 the Free Software Foundation; either version 2 of the License, or
 (at your option) any later version.
 .
 On Debian systems, the full text of the GNU General Public License
 version 2 can be found in the file `/usr/share/common-licenses/GPL-2'.
" @ONLY)
# and Debian policy wants a changelog, even a native package's (gzipped -n, so
# the same input gives the same file)
string(TIMESTAMP _pxe_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/deb/changelog CONTENT
"pxediag (@PROJECT_VERSION@) unstable; urgency=medium

  * Built with CPack from the pxediag sources; their git log is the history.

 -- @PXE_PACKAGE_MAINTAINER@  @_pxe_date@
" @ONLY)
execute_process(COMMAND gzip -9nf ${CMAKE_BINARY_DIR}/deb/changelog)
install(FILES ${CMAKE_BINARY_DIR}/deb/copyright ${CMAKE_BINARY_DIR}/deb/changelog.gz
        DESTINATION share/doc/pxediag COMPONENT deb EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "pxediag")
set(CPACK_PACKAGE_VENDOR "pxediag")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Wireshark plugin and report tool that diagnose PXE network boots")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
# only the component "deb": the system layout whoever configured the build
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${PROJECT_NAME};deb;/")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${PXE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# the extended description; CPack puts the summary above it and indents it
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "pxediag reads a capture of a network boot (PXE) and tells what happened and
why it failed. The pxe plugin for Wireshark and tshark follows every client
through DHCP, proxyDHCP and TFTP, marks each boot packet with its stage and
raises Expert Information diagnoses named with the code the client's screen
shows (PXE-E53, PXE-E32, ...). pxe-report runs tshark with the plugin and
prints one verdict per client as a table, JSON or CSV.")
# libwireshark, GLib, json-glib: found by dpkg-shlibdeps; tshark is run by
# pxe-report
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tshark")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "wireshark")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/")
include(CPack)

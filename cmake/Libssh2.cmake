# libssh2, which only src/ssh uses: it links the target fleetk8s_libssh2.
#
#   -DFLEETK8S_LIBSSH2=auto     (default) system when it is 1.11 or newer, else bundled
#   -DFLEETK8S_LIBSSH2=system   the machine's libssh2 (pkg-config, 1.10 or newer)
#   -DFLEETK8S_LIBSSH2=bundled  libssh2 1.11 from Debian 13's source package, built
#                               by scripts/fetch-libssh2.sh into .deps/libssh2/ and
#                               linked statically with the machine's libcrypto and zlib
#
# Why 1.11: libssh2 1.10 (Debian 12) signs RSA user keys only with ssh-rsa
# (SHA-1), which OpenSSH 8.8 and later refuse, and cannot use a host that
# offers only an RSA host key. 1.10 still builds and works for ed25519 and
# ECDSA keys (scripts/test-sanitized.sh builds against it).
#
# fleetk8s_libssh2 also tells src/ssh which library it got, for
# `fleetk8s --version`: FLEETK8S_LIBSSH2_ORIGIN ("system" or "bundled") and
# FLEETK8S_LIBSSH2_CRYPTO (the crypto backend; libssh2 1.10 cannot say it
# at run time, so it is read from pkg-config's private link libraries).

set(FLEETK8S_LIBSSH2 auto CACHE STRING "libssh2 to build with: auto, system or bundled")
set_property(CACHE FLEETK8S_LIBSSH2 PROPERTY STRINGS auto system bundled)
if(NOT FLEETK8S_LIBSSH2 MATCHES "^(auto|system|bundled)$")
  message(FATAL_ERROR "FLEETK8S_LIBSSH2 is '${FLEETK8S_LIBSSH2}': use auto, system or bundled")
endif()

set(_libssh2_origin ${FLEETK8S_LIBSSH2})
if(_libssh2_origin STREQUAL "auto")
  pkg_check_modules(LIBSSH2 QUIET IMPORTED_TARGET libssh2>=1.11)
  if(LIBSSH2_FOUND)
    set(_libssh2_origin system)
  else()
    set(_libssh2_origin bundled)
  endif()
endif()

add_library(fleetk8s_libssh2 INTERFACE)
if(_libssh2_origin STREQUAL "system")
  pkg_check_modules(LIBSSH2 REQUIRED IMPORTED_TARGET libssh2>=1.10)
  set(_libssh2_version ${LIBSSH2_VERSION})
  if(LIBSSH2_STATIC_LIBRARIES MATCHES "(^|;)crypto(;|$)")
    set(_libssh2_crypto OpenSSL)
  elseif(LIBSSH2_STATIC_LIBRARIES MATCHES "(^|;)gcrypt(;|$)")
    set(_libssh2_crypto libgcrypt)
  elseif(LIBSSH2_STATIC_LIBRARIES MATCHES "(^|;)mbedcrypto(;|$)")
    set(_libssh2_crypto mbedTLS)
  else()
    set(_libssh2_crypto unknown)
  endif()
  target_link_libraries(fleetk8s_libssh2 INTERFACE PkgConfig::LIBSSH2)
else()
  set(_libssh2_prefix ${PROJECT_SOURCE_DIR}/.deps/libssh2/install)
  if(NOT EXISTS ${_libssh2_prefix}/.fleetk8s-built)
    message(STATUS "libssh2: fetching and building 1.11 (scripts/fetch-libssh2.sh)")
    execute_process(COMMAND ${PROJECT_SOURCE_DIR}/scripts/fetch-libssh2.sh
                    OUTPUT_QUIET RESULT_VARIABLE _libssh2_fetch)
    if(NOT _libssh2_fetch EQUAL 0)
      message(FATAL_ERROR "libssh2: scripts/fetch-libssh2.sh failed; or configure with "
                          "-DFLEETK8S_LIBSSH2=system to use the machine's libssh2")
    endif()
  endif()
  file(STRINGS ${_libssh2_prefix}/.fleetk8s-built _libssh2_version LIMIT_COUNT 1)
  find_package(OpenSSL REQUIRED)
  find_package(ZLIB REQUIRED)
  add_library(fleetk8s_libssh2_static STATIC IMPORTED)
  set_target_properties(fleetk8s_libssh2_static PROPERTIES
    IMPORTED_LOCATION ${_libssh2_prefix}/lib/libssh2.a
    INTERFACE_INCLUDE_DIRECTORIES ${_libssh2_prefix}/include
    INTERFACE_LINK_LIBRARIES "OpenSSL::Crypto;ZLIB::ZLIB")
  set(_libssh2_crypto OpenSSL)
  target_link_libraries(fleetk8s_libssh2 INTERFACE fleetk8s_libssh2_static)
endif()
target_compile_definitions(fleetk8s_libssh2 INTERFACE
  FLEETK8S_LIBSSH2_ORIGIN="${_libssh2_origin}" FLEETK8S_LIBSSH2_CRYPTO="${_libssh2_crypto}")
message(STATUS "libssh2: ${_libssh2_version} (${_libssh2_origin}, ${_libssh2_crypto}; FLEETK8S_LIBSSH2=${FLEETK8S_LIBSSH2})")

#include "fleetk8s/ssh/library.h"

#include <libssh2.h>

namespace fleetk8s::ssh {

namespace {

std::string crypto_backend() {
#ifdef HAVE_LIBSSH2_CRYPTOENGINE_API  // libssh2 1.11
  switch (libssh2_crypto_engine()) {
    case libssh2_openssl: return "OpenSSL";
    case libssh2_gcrypt: return "libgcrypt";
    case libssh2_mbedtls: return "mbedTLS";
    case libssh2_wincng: return "WinCNG";
    case libssh2_os400qc3: return "OS400QC3";
    case libssh2_no_crypto: break;
  }
  return "unknown";
#else
  // Older libssh2 cannot say: what cmake/Libssh2.cmake read from pkg-config.
  return FLEETK8S_LIBSSH2_CRYPTO;
#endif
}

}  // namespace

SshLibrary ssh_library() {
  SshLibrary lib;
  const char* version = libssh2_version(0);
  lib.version = version ? version : "unknown";
  lib.crypto_backend = crypto_backend();
  lib.origin = FLEETK8S_LIBSSH2_ORIGIN;
  lib.rsa_sha2 = libssh2_version(0x010b00) != nullptr;  // NULL when older than 1.11.0
  return lib;
}

std::string ssh_library_text() {
  const SshLibrary lib = ssh_library();
  return "libssh2 " + lib.version + " (" + lib.crypto_backend + ", " + lib.origin + ")";
}

}  // namespace fleetk8s::ssh

#include "fleetk8s/core/result.h"

namespace fleetk8s {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kGeneric: return "error";
    case ErrorKind::kInvalidInput: return "invalid-input";
    case ErrorKind::kNotFound: return "not-found";
    case ErrorKind::kResolve: return "resolve";
    case ErrorKind::kConnectRefused: return "connection-refused";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kAuth: return "auth";
    case ErrorKind::kHostKeyUnknown: return "host-key-unknown";
    case ErrorKind::kHostKeyChanged: return "host-key-changed";
    case ErrorKind::kHostKeyRevoked: return "host-key-revoked";
    case ErrorKind::kConnectionLost: return "connection-lost";
    case ErrorKind::kCommandTimeout: return "command-timeout";
    case ErrorKind::kProtocol: return "protocol";
    case ErrorKind::kIo: return "io";
    case ErrorKind::kBecome: return "become";
    case ErrorKind::kCancelled: return "cancelled";
  }
  return "error";
}

bool is_unreachable(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kResolve:
    case ErrorKind::kConnectRefused:
    case ErrorKind::kTimeout:
    case ErrorKind::kAuth:
    case ErrorKind::kHostKeyUnknown:
    case ErrorKind::kHostKeyChanged:
    case ErrorKind::kHostKeyRevoked:
    case ErrorKind::kConnectionLost:
    case ErrorKind::kProtocol:
      return true;
    default:
      return false;
  }
}

}  // namespace fleetk8s

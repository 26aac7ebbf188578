// Errors as values. Every fallible operation in fleetk8s returns Result<T>:
// either a value or an Error that carries a human-readable message and a
// machine-readable kind. Messages are complete sentences for the user
// ("web1: connection refused by 10.0.0.5:22"); context is prepended with
// Error::context() as the error travels up.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace fleetk8s {

// What went wrong, coarsely: lets callers branch (retry, report as
// unreachable, exit code) without parsing messages.
enum class ErrorKind {
  kGeneric,
  kInvalidInput,      // bad file, bad argument: the user must fix input
  kNotFound,          // a file or name does not exist
  kResolve,           // host name did not resolve
  kConnectRefused,    // TCP connection refused
  kTimeout,           // connect or handshake timed out
  kAuth,              // authentication failed
  kHostKeyUnknown,    // host key not in known_hosts (strict policy)
  kHostKeyChanged,    // host key differs from known_hosts
  kHostKeyRevoked,    // host key marked @revoked
  kConnectionLost,    // the connection dropped mid-operation
  kCommandTimeout,    // a remote command exceeded its time limit
  kProtocol,          // SSH protocol or library failure
  kIo,                // local I/O error
  kBecome,            // privilege escalation failed (sudo)
  kCancelled,         // stopped on request (Ctrl-C, shutdown)
};

// Returns a short stable name for a kind ("auth", "timeout", ...).
const char* to_string(ErrorKind kind);

// True when the error means the host could not be reached or the session
// died: Ansible's "unreachable" as opposed to "failed".
bool is_unreachable(ErrorKind kind);

class Error {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  explicit Error(std::string message) : Error(ErrorKind::kGeneric, std::move(message)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

  // Returns a copy with "prefix: " in front of the message.
  Error context(const std::string& prefix) const { return Error(kind_, prefix + ": " + message_); }

 private:
  ErrorKind kind_;
  std::string message_;
};

// A value of type T or an Error. Access to the wrong alternative is a bug
// (asserted in debug builds).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

  // The value, or `fallback` on error.
  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation that yields nothing but may fail.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_{ErrorKind::kGeneric, ""};
  bool ok_ = true;
};

}  // namespace fleetk8s

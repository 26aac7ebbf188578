// What a caller tells the SSH engine about one host: where it is, how to
// authenticate, how to verify its host key and how long to wait.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fleetk8s::ssh {

// How host keys are checked against known_hosts (OpenSSH's
// StrictHostKeyChecking): strict = yes, accept_new = accept-new, off = no.
enum class HostKeyPolicy { kStrict, kAcceptNew, kOff };

// Parses "strict", "accept-new" or "off" (also OpenSSH's yes/no).
std::optional<HostKeyPolicy> parse_host_key_policy(const std::string& text);
const char* to_string(HostKeyPolicy policy);

struct AuthOptions {
  AuthOptions() {}
  // Try keys held by ssh-agent ($SSH_AUTH_SOCK) first, as OpenSSH does.
  bool use_agent = true;
  // Key files to try in order. Empty = OpenSSH's defaults that exist:
  // ~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa.
  std::vector<std::string> identity_files;
  // Passphrase for encrypted key files.
  std::optional<std::string> key_passphrase;
  // Password for password authentication, tried last.
  std::optional<std::string> password;
};

struct ConnectOptions {
  ConnectOptions() {}
  std::string name;      // inventory name, used in messages
  std::string address;   // host name or IP to connect to
  int port = 22;
  std::string user;
  AuthOptions auth;
  std::string known_hosts_file;  // empty = ~/.ssh/known_hosts
  // OpenSSH's HostKeyAlias: the host key is looked up and recorded under
  // this name (without a port) instead of the address. Empty = the address.
  std::string host_key_alias;
  HostKeyPolicy host_key_policy = HostKeyPolicy::kStrict;
  // TCP connect, banner and key exchange (OpenSSH's ConnectTimeout).
  std::chrono::milliseconds connect_timeout{10000};
  // Authentication, once the key exchange is done: a loaded host may take a
  // while to check a key, and that is not an unreachable host.
  std::chrono::milliseconds auth_timeout{60000};
  std::chrono::seconds keepalive_interval{15};        // 0 = off
  // ProxyJump: the jump hosts to go through, outermost first. The first is
  // reached directly, each next one (and finally this host) through a
  // direct-tcpip channel of the one before. Each jump host's key is verified
  // with its own settings. Sessions to a jump host are shared by every
  // connection of the transport that goes through it. Empty: direct.
  std::vector<ConnectOptions> jump_hosts;
};

// Privilege escalation for one command (Ansible's become with sudo).
struct BecomeOptions {
  // A user-provided constructor on purpose: GCC 12 destroys aggregate
  // temporaries twice when they appear in a co_await expression
  // (`co_await conn->exec(cmd, {})`); a non-aggregate is safe.
  BecomeOptions() {}
  bool enabled = false;
  std::string user = "root";
  // With a password sudo reads it from the channel's stdin (sudo -S); it is
  // never put on a command line. Without one, sudo -n must not need it.
  std::optional<std::string> password;
};

struct ExecOptions {
  ExecOptions() {}  // not an aggregate: see BecomeOptions
  // 0 = no limit. On expiry the remote command is killed (it runs under
  // coreutils `timeout`) and the result is a kCommandTimeout error.
  std::chrono::milliseconds timeout{0};
  BecomeOptions become;
  // Bytes written to the command's stdin, followed by EOF.
  std::string stdin_data;
  // Stop collecting output beyond this many bytes per stream (the command
  // still runs to completion); the result says it was truncated.
  std::size_t max_output = 256u << 20;
};

}  // namespace fleetk8s::ssh

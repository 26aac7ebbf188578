#include "host_key.h"

#include "fleetk8s/core/file.h"

#include "fleetk8s/core/text.h"
#include "fleetk8s/ssh/library.h"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <sys/stat.h>

namespace fleetk8s::ssh {

namespace {

struct KeyType {
  int libssh2_type;
  const char* name;
  int knownhost_bits;
};

constexpr KeyType kKeyTypes[] = {
    {LIBSSH2_HOSTKEY_TYPE_RSA, "ssh-rsa", LIBSSH2_KNOWNHOST_KEY_SSHRSA},
    {LIBSSH2_HOSTKEY_TYPE_DSS, "ssh-dss", LIBSSH2_KNOWNHOST_KEY_SSHDSS},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_256, "ecdsa-sha2-nistp256", LIBSSH2_KNOWNHOST_KEY_ECDSA_256},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_384, "ecdsa-sha2-nistp384", LIBSSH2_KNOWNHOST_KEY_ECDSA_384},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_521, "ecdsa-sha2-nistp521", LIBSSH2_KNOWNHOST_KEY_ECDSA_521},
    {LIBSSH2_HOSTKEY_TYPE_ED25519, "ssh-ed25519", LIBSSH2_KNOWNHOST_KEY_ED25519},
};

using KnownHosts = std::unique_ptr<LIBSSH2_KNOWNHOSTS, decltype(&libssh2_knownhost_free)>;

// libssh2 ignores @revoked lines: find them ourselves. Returns true when
// `base64` is listed as revoked (for any host, as OpenSSH treats it).
bool is_revoked(const std::string& file, const std::string& base64) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string marker, hosts, type, key;
    if (!(fields >> marker) || marker != "@revoked") continue;
    if (fields >> hosts >> type >> key && key == base64) return true;
  }
  return false;
}

// For non-22 ports libssh2 also accepts a plain "host" entry, which OpenSSH
// would not. Re-check a match against the exact name when it is not hashed.
bool entry_applies(const libssh2_knownhost* entry, const std::string& expected_name, int port) {
  if (port == 22 || !entry || !entry->name) return true;  // hashed entries carry no plain name
  if ((entry->typemask & LIBSSH2_KNOWNHOST_TYPE_MASK) != LIBSSH2_KNOWNHOST_TYPE_PLAIN) return true;
  std::string names(entry->name);
  std::istringstream list(names);
  std::string n;
  while (std::getline(list, n, ',')) {
    if (n == expected_name) return true;
  }
  return false;
}

}  // namespace

std::string default_known_hosts_file() { return expand_home("~/.ssh/known_hosts"); }

std::string known_hosts_name(const std::string& host, int port) {
  if (port == 22) return host;
  return "[" + host + "]:" + std::to_string(port);
}

const char* host_key_method_preference() {
  // libssh2 prefers ECDSA by default; OpenSSH and its ssh-keyscan users
  // expect ed25519 first. rsa-sha2-* only where libssh2 knows them (1.11):
  // 1.10 strips unknown names with an overlapping memcpy (ASan's
  // memcpy-param-overlap), and its ssh-rsa alone is refused by OpenSSH 8.8+.
  static const bool rsa_sha2 = ssh_library().rsa_sha2;
  return rsa_sha2 ? "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
                    "rsa-sha2-512,rsa-sha2-256,ssh-rsa"
                  : "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa";
}

Result<HostKeyInfo> host_key_of(LIBSSH2_SESSION* session) {
  size_t len = 0;
  int type = 0;
  const char* key = libssh2_session_hostkey(session, &len, &type);
  if (!key) return Error(ErrorKind::kProtocol, "the server sent no host key");
  HostKeyInfo info;
  info.type_name = "unknown";
  info.knownhost_type = LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
  for (const auto& t : kKeyTypes) {
    if (t.libssh2_type == type) {
      info.type_name = t.name;
      info.knownhost_type = t.knownhost_bits;
    }
  }
  info.base64 = base64_encode(std::string_view(key, len), true);
  const char* hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256);
  if (hash) {
    info.fingerprint = "SHA256:" + base64_encode(std::string_view(reinterpret_cast<const char*>(hash), 32), false);
  }
  return info;
}

Result<void> verify_host_key(LIBSSH2_SESSION* session, const ConnectOptions& options,
                             const std::function<void(const std::string&)>& notice) {
  auto key = host_key_of(session);
  if (!key) return key.error();
  const std::string file = options.known_hosts_file.empty() ? default_known_hosts_file()
                                                            : options.known_hosts_file;
  const std::string where = options.address + ":" + std::to_string(options.port);
  const std::string what = key->type_name + " key " + key->fingerprint;

  if (options.host_key_policy == HostKeyPolicy::kOff) {
    notice("host key checking is off: accepting " + what + " without verification");
    return {};
  }
  if (is_revoked(file, key->base64)) {
    return Error(ErrorKind::kHostKeyRevoked,
                 "host key for " + where + " is marked @revoked in " + file + ": " + what);
  }

  KnownHosts hosts(libssh2_knownhost_init(session), &libssh2_knownhost_free);
  if (!hosts) return Error(ErrorKind::kProtocol, "cannot initialise known_hosts handling");
  struct stat st {};
  const bool file_exists = ::stat(file.c_str(), &st) == 0;
  if (file_exists && libssh2_knownhost_readfile(hosts.get(), file.c_str(),
                                                LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0) {
    return Error(ErrorKind::kInvalidInput, file + ": cannot parse known_hosts file");
  }

  size_t len = 0;
  int type = 0;
  const char* raw = libssh2_session_hostkey(session, &len, &type);
  const int mask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | key->knownhost_type;
  libssh2_knownhost* entry = nullptr;
  // With HostKeyAlias, OpenSSH looks the alias up without a port.
  const std::string& key_host = options.host_key_alias.empty() ? options.address : options.host_key_alias;
  const int key_port = options.host_key_alias.empty() ? options.port : 22;
  int check = libssh2_knownhost_checkp(hosts.get(), key_host.c_str(), key_port, raw, len, mask, &entry);
  const std::string name = known_hosts_name(key_host, key_port);
  if (check == LIBSSH2_KNOWNHOST_CHECK_MATCH && !entry_applies(entry, name, options.port)) {
    check = LIBSSH2_KNOWNHOST_CHECK_NOTFOUND;
  }

  switch (check) {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
      return {};
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
      return Error(ErrorKind::kHostKeyChanged,
                   "REMOTE HOST IDENTIFICATION HAS CHANGED for " + where + ": it now presents " + what +
                       ", which differs from the key recorded in " + file +
                       ". Someone could be eavesdropping (man-in-the-middle), or the host was "
                       "reinstalled. Verify the new key, then remove the old entry with: ssh-keygen -R '" +
                       name + "' -f " + file);
    case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
      break;
    default:
      return Error(ErrorKind::kProtocol, "cannot check the host key of " + where + " against " + file);
  }

  // Known under another key type? (Checked without the type bits.)
  libssh2_knownhost* other = nullptr;
  const int untyped = libssh2_knownhost_checkp(hosts.get(), key_host.c_str(), key_port, raw,
                                               len, LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW,
                                               &other);
  if (untyped == LIBSSH2_KNOWNHOST_CHECK_MISMATCH && entry_applies(other, name, options.port)) {
    return Error(ErrorKind::kHostKeyUnknown,
                 "host key for " + where + " is recorded in " + file +
                     " only under another key type; the server offered " + what +
                     ". Verify it and add it (ssh-keyscan -t " + key->type_name + " -p " +
                     std::to_string(options.port) + " " + options.address + ")" +
                     (options.host_key_alias.empty() ? "" : ", recorded under its HostKeyAlias " + key_host));
  }
  if (options.host_key_policy != HostKeyPolicy::kAcceptNew) {
    return Error(ErrorKind::kHostKeyUnknown,
                 "host key for " + where + " is not in " + file + " (" + what +
                     "). Verify it and add it (ssh-keyscan -p " + std::to_string(options.port) + " " +
                     options.address + " >> " + file + (options.host_key_alias.empty() ? "" : ", with the name changed to its HostKeyAlias " + key_host) +
                     "), or use --host-key-checking accept-new");
  }
  std::ofstream out(file, std::ios::app);
  if (!out) return Error(ErrorKind::kIo, file + ": cannot append the new host key for " + where);
  out << name << ' ' << key->type_name << ' ' << key->base64 << '\n';
  if (!out.flush()) return Error(ErrorKind::kIo, file + ": cannot write the new host key for " + where);
  notice("permanently added " + what + " for " + name + " to " + file);
  return {};
}

}  // namespace fleetk8s::ssh

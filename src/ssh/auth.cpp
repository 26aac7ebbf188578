#include "auth.h"

#include "fleetk8s/core/file.h"
#include "fleetk8s/core/text.h"
#include "fleetk8s/ssh/library.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <sys/stat.h>
#include <vector>

namespace fleetk8s::ssh {

namespace {

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// One authentication attempt's outcome, for the final message.
struct Attempts {
  std::vector<std::string> lines;
  bool rsa_rejected = false;
  bool dsa_rejected = false;
  void add(std::string s) { lines.push_back(std::move(s)); }
  // Notes a key of `type` the server refused, for the advice at the end.
  void rejected(const std::string& type) {
    if (type == "ssh-rsa") rsa_rejected = true;
    if (type == "ssh-dss") dsa_rejected = true;
  }
  std::string joined() const {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "; ") + l;
    return out;
  }
};

bool method_offered(const std::string& methods, const std::string& m) {
  std::istringstream list(methods);
  std::string x;
  while (std::getline(list, x, ',')) {
    if (x == m) return true;
  }
  return false;
}

Task<Result<bool>> try_agent(SessionCore& core, const ConnectOptions& o, const Deadline& dl,
                             Attempts& attempts) {
  const char* sock = std::getenv("SSH_AUTH_SOCK");
  if (!o.auth.use_agent || !sock || !*sock) co_return false;
  std::unique_ptr<LIBSSH2_AGENT, decltype(&libssh2_agent_free)> agent(libssh2_agent_init(core.raw()),
                                                                      &libssh2_agent_free);
  if (!agent || libssh2_agent_connect(agent.get()) != 0) {
    attempts.add("agent (cannot connect to " + std::string(sock) + ")");
    co_return false;
  }
  if (libssh2_agent_list_identities(agent.get()) != 0) {
    attempts.add("agent (cannot list identities)");
    libssh2_agent_disconnect(agent.get());
    co_return false;
  }
  libssh2_agent_publickey* id = nullptr;
  libssh2_agent_publickey* prev = nullptr;
  int tried = 0;
  while (libssh2_agent_get_identity(agent.get(), &id, prev) == 0) {
    prev = id;
    ++tried;
    auto rc = co_await core.call([&] { return libssh2_agent_userauth(agent.get(), o.user.c_str(), id); }, dl);
    if (!rc) {
      libssh2_agent_disconnect(agent.get());
      co_return rc.error();
    }
    if (*rc == 0) {
      libssh2_agent_disconnect(agent.get());
      co_return true;
    }
    std::string comment = id->comment ? id->comment : "";
    std::string type = id->blob_len > 11 ? std::string(reinterpret_cast<char*>(id->blob) + 4, 7) : "";
    attempts.rejected(type);
    attempts.add("agent key " + comment + " (rejected)");
  }
  if (tried == 0) attempts.add("agent (no identities)");
  libssh2_agent_disconnect(agent.get());
  co_return false;
}

std::vector<std::string> key_candidates(const ConnectOptions& o) {
  if (!o.auth.identity_files.empty()) {
    std::vector<std::string> out;
    for (const auto& f : o.auth.identity_files) out.push_back(expand_home(f));
    return out;
  }
  std::vector<std::string> out;
  for (const char* f : {"~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa"}) {
    std::string p = expand_home(f);
    if (file_exists(p)) out.push_back(p);
  }
  return out;
}

bool key_is_encrypted(const std::string& pem) {
  if (pem.find("ENCRYPTED") != std::string::npos) return true;  // PEM/PKCS#8
  auto begin = pem.find("-----BEGIN OPENSSH PRIVATE KEY-----");
  if (begin == std::string::npos) return false;
  auto body_start = pem.find('\n', begin);
  auto end = pem.find("-----END", body_start);
  std::string blob = base64_decode(pem.substr(body_start, end - body_start));
  // "openssh-key-v1\0" then string ciphername: "none" when unencrypted.
  return blob.size() > 23 && blob.compare(19, 4, "none") != 0;
}

Task<Result<bool>> try_key_files(SessionCore& core, const ConnectOptions& o, const Deadline& dl,
                                 Attempts& attempts) {
  for (const auto& path : key_candidates(o)) {
    if (!file_exists(path)) {
      attempts.add("key " + path + " (no such file)");
      continue;
    }
    const std::string pem = read_file(path).value_or("");
    const std::string type = private_key_type(path);
    const bool encrypted = key_is_encrypted(pem);
    if (encrypted && !o.auth.key_passphrase) {
      attempts.add("key " + path + " (encrypted; no passphrase given: use ssh-agent or FLEETK8S_KEY_PASSPHRASE)");
      continue;
    }
    const std::string pass = o.auth.key_passphrase.value_or("");
    auto rc = co_await core.call(
        [&] {
          return libssh2_userauth_publickey_frommemory(core.raw(), o.user.c_str(), o.user.size(), nullptr, 0,
                                                       pem.c_str(), pem.size(), pass.c_str());
        },
        dl);
    if (!rc) co_return rc.error();
    if (*rc == 0) co_return true;
    attempts.rejected(type);
    if (*rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED && *rc != LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED) {
      // libssh2 could not load the key: with a passphrase, almost always a wrong one.
      attempts.add("key " + path + (encrypted ? " (cannot decrypt: wrong passphrase?)"
                                              : " (cannot load: " + core.error_from(*rc, "").message() + ")"));
    } else {
      attempts.add("key " + path + " (" + (type.empty() ? "" : type + ", ") + "rejected)");
    }
  }
  co_return false;
}

Task<Result<bool>> try_password(SessionCore& core, const ConnectOptions& o, const Deadline& dl,
                                Attempts& attempts) {
  if (!o.auth.password) co_return false;
  const std::string& pw = *o.auth.password;
  auto rc = co_await core.call(
      [&] {
        return libssh2_userauth_password_ex(core.raw(), o.user.c_str(), o.user.size(), pw.c_str(),
                                            static_cast<unsigned>(pw.size()), nullptr);
      },
      dl);
  if (!rc) co_return rc.error();
  if (*rc == 0) co_return true;
  attempts.add(*rc == LIBSSH2_ERROR_PASSWORD_EXPIRED ? "password (expired)" : "password (rejected)");
  co_return false;
}

}  // namespace

std::string private_key_type(const std::string& path) {
  // The .pub file, when present, names the type plainly.
  std::ifstream pub(path + ".pub");
  std::string type;
  if (pub >> type) return type;
  const std::string pem = read_file(path).value_or("");
  if (pem.find("BEGIN RSA PRIVATE KEY") != std::string::npos) return "ssh-rsa";
  if (pem.find("BEGIN EC PRIVATE KEY") != std::string::npos) return "ecdsa";
  auto begin = pem.find("-----BEGIN OPENSSH PRIVATE KEY-----");
  if (begin == std::string::npos) return "";
  auto body_start = pem.find('\n', begin);
  std::string blob = base64_decode(pem.substr(body_start, pem.find("-----END", body_start) - body_start));
  for (const char* t : {"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                        "ssh-rsa", "ssh-dss"}) {
    if (blob.find(t) != std::string::npos) return t;
  }
  return "";
}

Task<Result<void>> authenticate(SessionCore& core, const ConnectOptions& o, const Deadline& dl) {
  std::string methods;
  auto list = co_await core.call(
      [&]() -> int {
        const char* m = libssh2_userauth_list(core.raw(), o.user.c_str(), static_cast<unsigned>(o.user.size()));
        if (m) {
          methods = m;
          return 0;
        }
        if (libssh2_userauth_authenticated(core.raw())) return 0;  // "none" was accepted
        return libssh2_session_last_errno(core.raw());
      },
      dl);
  if (!list) co_return list.error();
  if (*list != 0) co_return core.error_from(*list, "cannot list authentication methods");
  if (libssh2_userauth_authenticated(core.raw())) co_return Result<void>{};

  Attempts attempts;
  if (method_offered(methods, "publickey")) {
    for (auto step : {&try_agent, &try_key_files}) {
      auto r = co_await step(core, o, dl, attempts);
      if (!r) co_return r.error();
      if (*r) co_return Result<void>{};
    }
  } else {
    attempts.add("publickey (not offered by the server)");
  }
  if (method_offered(methods, "password")) {
    auto r = co_await try_password(core, o, dl, attempts);
    if (!r) co_return r.error();
    if (*r) co_return Result<void>{};
  } else if (o.auth.password) {
    attempts.add("password (not offered by the server)");
  }
  if (attempts.lines.empty()) attempts.add("nothing: no agent, no key file, no password");

  std::string msg = "authentication failed for " + o.user + "@" + o.address + ":" + std::to_string(o.port) +
                    " (server offers: " + methods + "; tried: " + attempts.joined() + ")";
  if (attempts.rsa_rejected) {
    if (const SshLibrary lib = ssh_library(); !lib.rsa_sha2) {
      msg += ". RSA keys cannot work here: this fleetk8s runs with libssh2 " + lib.version +
             ", which signs only with ssh-rsa (SHA-1), which OpenSSH 8.8 and later refuse. Use an ed25519 "
             "or ECDSA key (ssh-keygen -t ed25519) and add it to the host's authorized_keys, or build "
             "fleetk8s with libssh2 1.11 (cmake -DFLEETK8S_LIBSSH2=bundled)";
    }
  }
  if (attempts.dsa_rejected) {
    msg += ". DSA keys (ssh-dss) are refused by OpenSSH 7.0 and later: use an ed25519 key (ssh-keygen -t ed25519) "
           "and add it to the host's authorized_keys";
  }
  co_return Error(ErrorKind::kAuth, msg);
}

}  // namespace fleetk8s::ssh

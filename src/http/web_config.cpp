#include "fleetk8s/http/web_config.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <set>

#include "fleetk8s/yaml/node.h"

namespace fleetk8s::http {

namespace {

// "FILE:LINE:COL: message", as every other file fleetk8s reads says it.
Error at(const std::string& path, const yaml::Node& n, const std::string& message) {
  return Error(ErrorKind::kInvalidInput,
               path + ":" + std::to_string(n.mark().line) + ":" + std::to_string(n.mark().column) + ": " + message);
}

// A bcrypt hash as golang.org/x/crypto/bcrypt.Cost accepts it: $2a$, $2b$
// or $2y$, a cost of 04 to 31, 53 characters of salt and hash.
bool is_bcrypt(const std::string& h) {
  if (h.size() != 60 || h[0] != '$' || h[1] != '2' || (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') || h[3] != '$' ||
      h[6] != '$')
    return false;
  if (!std::isdigit(static_cast<unsigned char>(h[4])) || !std::isdigit(static_cast<unsigned char>(h[5]))) return false;
  const int cost = (h[4] - '0') * 10 + (h[5] - '0');
  if (cost < 4 || cost > 31) return false;
  static const char kAlphabet[] = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return h.find_first_not_of(kAlphabet, 7) == std::string::npos;
}

// The toolkit's config_util.JoinDir: a relative path is from the file's folder.
std::string from_folder(const std::string& config, const std::string& p) {
  if (p.empty() || p.front() == '/') return p;
  return (std::filesystem::absolute(config).parent_path() / p).lexically_normal().string();
}

// FILE names a regular file (its content is read when the server starts).
Result<void> regular_file(const std::string& config, const std::string& file, const yaml::Node& n,
                          const std::string& key) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return at(config, n, key + " " + file + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return at(config, n, key + " " + file + ": not a regular file");
  return {};
}

Result<WebConfig::Tls> read_tls(const std::string& path, const yaml::Node& node) {
  if (!node.is_map()) return at(path, node, "tls_server_config must be a mapping");
  WebConfig::Tls tls;
  const std::set<std::string> unsupported = {"cert", "key", "client_ca", "cipher_suites", "curve_preferences",
                                             "max_version", "prefer_server_cipher_suites", "client_allowed_sans"};
  const yaml::Node* ca_node = nullptr;
  for (const auto& [k, v] : node.entries()) {
    const std::string& key = k.scalar();
    if (unsupported.count(key))
      return at(path, k, "tls_server_config." + key + " is not supported by fleetk8s (supported: cert_file, key_file, "
                         "client_auth_type, client_ca_file, min_version)");
    if (!v.is_scalar() || v.scalar().empty()) return at(path, v, "tls_server_config." + key + " must be a string");
    if (key == "cert_file") {
      tls.cert_file = from_folder(path, v.scalar());
    } else if (key == "key_file") {
      tls.key_file = from_folder(path, v.scalar());
      struct stat st {};
      if (::stat(tls.key_file.c_str(), &st) != 0)
        return at(path, v, "key_file " + tls.key_file + ": " + std::strerror(errno));
      if (st.st_mode & (S_IRWXG | S_IRWXO))
        return at(path, v, "key_file " + tls.key_file + " is readable by others (mode " +
                               std::to_string((st.st_mode >> 6) & 7) + std::to_string((st.st_mode >> 3) & 7) +
                               std::to_string(st.st_mode & 7) + "): chmod 600 it, as OpenSSH asks of a private key");
    } else if (key == "client_ca_file") {
      tls.client_ca_file = from_folder(path, v.scalar());
      ca_node = &v;
    } else if (key == "client_auth_type") {
      static const std::set<std::string> kTypes = {"NoClientCert", "RequestClientCert", "RequireAnyClientCert",
                                                   "RequireClientCert", "VerifyClientCertIfGiven",
                                                   "RequireAndVerifyClientCert"};
      if (!kTypes.count(v.scalar()))
        return at(path, v, "client_auth_type " + v.scalar() + ": expected NoClientCert, RequestClientCert, "
                           "RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert");
      tls.client_auth_type = v.scalar() == "RequireClientCert" ? "RequireAnyClientCert" : v.scalar();
    } else if (key == "min_version") {
      if (v.scalar() != "TLS12" && v.scalar() != "TLS13")
        return at(path, v, "min_version " + v.scalar() + ": expected TLS12 or TLS13 (TLS 1.0 and 1.1 are not offered)");
      tls.tls13_only = v.scalar() == "TLS13";
    } else {
      return at(path, k, "unknown key tls_server_config." + key);
    }
  }
  if (tls.cert_file.empty()) return at(path, node, "tls_server_config: missing cert_file");
  if (tls.key_file.empty()) return at(path, node, "tls_server_config: missing key_file");
  if (auto ok = regular_file(path, tls.cert_file, node, "cert_file"); !ok) return ok.error();
  if (ca_node) {
    if (auto ok = regular_file(path, tls.client_ca_file, *ca_node, "client_ca_file"); !ok) return ok.error();
    if (tls.client_auth_type == "NoClientCert")
      return at(path, *ca_node, "client_ca_file is set without a client_auth_type that asks for a certificate");
  } else if (tls.client_auth_type == "VerifyClientCertIfGiven" || tls.client_auth_type == "RequireAndVerifyClientCert") {
    return at(path, node, "client_auth_type " + tls.client_auth_type + " needs client_ca_file (the CA that signs clients)");
  }
  return tls;
}

}  // namespace

Result<WebConfig> load_web_config(const std::string& path) {
  auto doc = yaml::load_file(path);
  if (!doc) return doc.error();
  WebConfig config;
  if (doc->is_null()) return config;  // an empty file: plain HTTP, no authentication
  if (!doc->is_map()) return at(path, *doc, "expected a mapping (tls_server_config, basic_auth_users)");
  for (const auto& [k, v] : doc->entries()) {
    const std::string& key = k.scalar();
    if (key == "tls_server_config") {
      if (v.is_null()) continue;
      auto tls = read_tls(path, v);
      if (!tls) return tls.error();
      config.tls = std::move(*tls);
    } else if (key == "basic_auth_users") {
      if (v.is_null()) continue;
      if (!v.is_map()) return at(path, v, "basic_auth_users must be a mapping of user names to bcrypt hashes");
      for (const auto& [user, hash] : v.entries()) {
        if (!user.is_scalar() || user.scalar().empty() || user.scalar().find(':') != std::string::npos)
          return at(path, user, "a user name must be a string without ':'");
        if (!hash.is_scalar() || !is_bcrypt(hash.scalar()))
          return at(path, hash, "basic_auth_users." + user.scalar() +
                                    ": expected a bcrypt hash ($2y$10$ and 53 characters; htpasswd -nBC 10 \"\" makes one)");
        config.basic_auth[user.scalar()] = hash.scalar();
      }
    } else if (key == "http_server_config" || key == "rate_limit") {
      return at(path, k, key + " is not supported by fleetk8s (supported: tls_server_config, basic_auth_users)");
    } else {
      return at(path, k, "unknown key " + key + " (expected tls_server_config, basic_auth_users)");
    }
  }
  return config;
}

const std::string& basic_auth_hash(const WebConfig& config, const std::string& user) {
  // An unknown user is checked against a fixed hash all the same, so that
  // the time taken does not say which users exist (as the toolkit does).
  // (bcrypt, cost 10, of 32 random hex digits nobody kept)
  static const std::string kDecoy = "$2y$10$iTni0PVZF6DEIR41m3Oime9fFQGZo67g7Y7oehbYPlphQ6kUBxklW";
  auto it = config.basic_auth.find(user);
  return it != config.basic_auth.end() ? it->second : kDecoy;
}

bool bcrypt_matches(const std::string& hash, const std::string& password) {
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_r(password.c_str(), hash.c_str(), data.get());
  const bool same = out && std::strlen(out) == hash.size() && CRYPTO_memcmp(out, hash.data(), hash.size()) == 0;
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return same;
}

bool check_basic_auth(const WebConfig& config, const std::string& user, const std::string& password) {
  return bcrypt_matches(basic_auth_hash(config, user), password) && config.basic_auth.count(user) != 0;
}

}  // namespace fleetk8s::http

#include "fleetk8s/report/secrets.h"

#include <mutex>
#include <regex>
#include <set>

namespace fleetk8s::report {

namespace {

std::mutex g_mutex;
std::set<std::string>& registry() {
  static std::set<std::string> secrets;
  return secrets;
}

}  // namespace

void add_secret(const std::string& secret) {
  if (secret.size() < 6) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  registry().insert(secret);
}

std::string mask_secrets(const std::string& text) {
  static const std::regex token(R"(\b[a-z0-9]{6}\.[a-z0-9]{16}\b)");
  static const std::regex cert_key(R"((--certificate-key[ =]+|certificateKey:\s*"?)[0-9a-f]{64})");
  std::string out = text;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    for (const auto& s : registry()) {
      for (size_t at = out.find(s); at != std::string::npos; at = out.find(s, at + 8)) out.replace(at, s.size(), "********");
    }
  }
  if (out.find('.') != std::string::npos) out = std::regex_replace(out, token, "********");
  if (out.find("ertificate") != std::string::npos) out = std::regex_replace(out, cert_key, "$1********");
  return out;
}

}  // namespace fleetk8s::report

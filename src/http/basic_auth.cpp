#include "basic_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cctype>

namespace fleetk8s::http {

std::optional<std::string> base64_decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = in[i + j];
      if (c == '=' && i + 4 == in.size() && j >= 2) {
        v[j] = 0;
        ++pad;
      } else if (pad > 0 || (v[j] = value(c)) < 0) {
        return std::nullopt;
      }
    }
    const unsigned n = static_cast<unsigned>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    out += static_cast<char>(n >> 16);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

std::string credentials_digest(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (auto p : parts) {
    joined.append(p);
    joined += '\0';
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(joined.data(), joined.size(), md, &len, EVP_sha256(), nullptr);
  OPENSSL_cleanse(joined.data(), joined.size());
  return std::string(reinterpret_cast<char*>(md), len);
}

std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view header) {
  static constexpr std::string_view kScheme = "basic ";
  if (header.size() < kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return std::nullopt;
  auto decoded = base64_decode(header.substr(kScheme.size()));
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  std::optional<std::pair<std::string, std::string>> out;
  if (colon != std::string::npos) out.emplace(decoded->substr(0, colon), decoded->substr(colon + 1));
  OPENSSL_cleanse(decoded->data(), decoded->size());
  return out;
}

}  // namespace fleetk8s::http

#include "utf8.h"

namespace fleetk8s::tmpl::detail {

namespace {

// Length of the sequence a lead byte starts, or 1 when it is not valid.
size_t sequence_length(std::string_view s, size_t i) {
  auto lead = static_cast<unsigned char>(s[i]);
  size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
  if (i + n > s.size()) return 1;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  }
  return n;
}

}  // namespace

std::uint32_t next_code_point(std::string_view s, size_t& i) {
  size_t n = sequence_length(s, i);
  auto byte = [&](size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + k])); };
  std::uint32_t cp = byte(0);
  if (n == 2) cp = ((cp & 0x1F) << 6) | (byte(1) & 0x3F);
  if (n == 3) cp = ((cp & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
  if (n == 4) cp = ((cp & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
  i += n;
  return cp;
}

size_t utf8_length(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); i += sequence_length(s, i)) ++count;
  return count;
}

std::vector<std::string_view> utf8_chars(std::string_view s) {
  std::vector<std::string_view> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = sequence_length(s, i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace fleetk8s::tmpl::detail

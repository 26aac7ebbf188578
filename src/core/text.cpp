#include "fleetk8s/core/text.h"

namespace fleetk8s {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string base64_encode(std::string_view in, bool pad, int wrap) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int column = 0;
  auto put = [&](char c) {
    if (wrap > 0 && column == wrap) {
      out += '\n';
      column = 0;
    }
    out += c;
    ++column;
  };
  auto byte = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(in[i])); };
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    for (int k = 18; k >= 0; k -= 6) put(table[(v >> k) & 63]);
  }
  if (i < in.size()) {
    unsigned v = byte(i) << 16;
    if (i + 1 < in.size()) v |= byte(i + 1) << 8;
    put(table[(v >> 18) & 63]);
    put(table[(v >> 12) & 63]);
    if (i + 1 < in.size()) put(table[(v >> 6) & 63]);
    else if (pad) put('=');
    if (pad) put('=');
  }
  return out;
}

std::string base64_decode(std::string_view in) {
  std::string out;
  int val = 0, bits = -8;
  for (unsigned char c : in) {
    int d;
    if (c >= 'A' && c <= 'Z') d = c - 'A';
    else if (c >= 'a' && c <= 'z') d = c - 'a' + 26;
    else if (c >= '0' && c <= '9') d = c - '0' + 52;
    else if (c == '+') d = 62;
    else if (c == '/') d = 63;
    else continue;
    val = (val << 6) | d;
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

}  // namespace fleetk8s

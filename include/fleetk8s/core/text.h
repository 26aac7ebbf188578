// Byte-level text encodings shared across modules: UTF-8 code points and
// base64 (RFC 4648, standard alphabet).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fleetk8s {

// Appends the UTF-8 encoding of code point `cp`.
void append_utf8(std::string& out, std::uint32_t cp);

// Encodes `in`; `pad` adds the trailing '=' padding; `wrap` > 0 inserts a
// newline after every `wrap` output characters (76 is MIME/coreutils style).
std::string base64_encode(std::string_view in, bool pad = true, int wrap = 0);

// Decodes `in`, skipping characters outside the alphabet (newlines,
// padding), as `base64 -d -i` does.
std::string base64_decode(std::string_view in);

}  // namespace fleetk8s

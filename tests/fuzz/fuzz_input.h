// Shared by the libFuzzer targets: the input as text. A target calls the
// API under test and ignores its result: a clean error (a Result error, or
// an exception the API documents) is fine; only crashes, sanitizer
// reports, timeouts and running out of memory are findings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fleetk8s_fuzz {

inline std::string_view text(const std::uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace fleetk8s_fuzz

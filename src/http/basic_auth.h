// HTTP basic authentication's wire side for the metrics endpoint: the
// Authorization header read (RFC 7617: "Basic " and base64 of
// USER:PASSWORD), and the key under which a checked pair is remembered.
// The header is a client's and hostile until checked. Private to src/http.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace fleetk8s::http {

// RFC 4648 base64 with padding; nothing when malformed.
std::optional<std::string> base64_decode(std::string_view in);

// The user and password of an "Authorization: Basic ..." value (the scheme
// in any case); nothing when it is another scheme, not base64, or has no ':'.
std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view header);

// SHA-256 of the parts, each ended by a NUL: a cache key under which no
// password is kept as it was typed.
std::string credentials_digest(std::initializer_list<std::string_view> parts);

}  // namespace fleetk8s::http

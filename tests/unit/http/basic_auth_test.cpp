// The Authorization header, a client's and hostile until checked.
#include <catch2/catch.hpp>

#include "basic_auth.h"

using namespace fleetk8s::http;

TEST_CASE("basic auth: the header's user and password, anything malformed is nothing", "[http]") {
  auto c = basic_credentials("Basic cHJvbWV0aGV1czpzY3JhcGUtc2VjcmV0");
  REQUIRE(c);
  CHECK(c->first == "prometheus");
  CHECK(c->second == "scrape-secret");
  CHECK(basic_credentials("bAsIc cHJvbWV0aGV1czpzY3JhcGUtc2VjcmV0"));  // the scheme in any case
  auto colon = basic_credentials("Basic dTpwOnE=");  // u:p:q: the password keeps its ':'
  REQUIRE(colon);
  CHECK(colon->second == "p:q");
  for (const char* bad : {"", "Basic", "Basic ", "Bearer cHJvbWV0aGV1czpzY3JhcGUtc2VjcmV0", "Basic bm9jb2xvbg==",
                          "Basic cHJvbWV0aGV1czpzY3JhcGUtc2VjcmV0=", "Basic ab=c", "Basic a===", "Basic ****"}) {
    INFO(bad);
    CHECK_FALSE(basic_credentials(bad));
  }
}

TEST_CASE("basic auth: base64 as RFC 4648 writes it", "[http]") {
  CHECK(base64_decode("") == std::string());
  CHECK(base64_decode("Zg==") == std::string("f"));
  CHECK(base64_decode("Zm8=") == std::string("fo"));
  CHECK(base64_decode("Zm9v") == std::string("foo"));
  CHECK(base64_decode("AAEC/w==") == std::string("\0\1\2\xff", 4));
  CHECK_FALSE(base64_decode("Zg="));
  CHECK_FALSE(base64_decode("Zg==Zg=="));  // padding only at the end
}

TEST_CASE("basic auth: the cache key is a SHA-256 that tells the parts apart", "[http]") {
  const std::string a = credentials_digest({"u", "h", "pw"});
  CHECK(a.size() == 32);
  CHECK(a.find("pw") == std::string::npos);
  CHECK(a == credentials_digest({"u", "h", "pw"}));
  CHECK(a != credentials_digest({"u", "hp", "w"}));
}

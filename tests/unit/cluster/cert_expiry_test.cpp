// kubeadm certs check-expiration's tables, as kubeadm prints them.
#include <catch2/catch.hpp>

#include <ctime>

#include "fleetk8s/cluster/cert_expiry.h"

using namespace fleetk8s::cluster;

namespace {

std::chrono::system_clock::time_point utc(int y, int mon, int d, int h, int m) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = m;
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

const char* const kOutput =
    "[check-expiration] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...\n"
    "[check-expiration] Use 'kubeadm init phase upload-config --config your-config-file' to re-upload it.\n"
    "\n"
    "CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED\n"
    "admin.conf                 Dec 07, 2027 00:27 UTC   364d            ca                      no      \n"
    "apiserver                  Dec 16, 2026 09:05 UTC   9d              ca                      no      \n"
    "apiserver-etcd-client      Dec 06, 2026 23:59 UTC   <invalid>       etcd-ca                 no      \n"
    "!MISSING! front-proxy-client                                                                       \n"
    "\n"
    "CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED\n"
    "ca                      Dec 04, 2036 00:27 UTC   9y              no      \n";

}  // namespace

TEST_CASE("check-expiration: both tables, kubeadm's dates, missing and expired rows", "[cluster]") {
  const auto rows = parse_check_expiration(kOutput);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].name == "admin.conf");
  CHECK_FALSE(rows[0].authority);
  CHECK(rows[0].expires == utc(2027, 12, 7, 0, 27));
  CHECK(rows[0].expires_text == "Dec 07, 2027 00:27 UTC");
  CHECK(rows[3].name == "front-proxy-client");
  CHECK(rows[3].missing);
  CHECK(rows[4].name == "ca");
  CHECK(rows[4].authority);
  CHECK(rows[4].expires == utc(2036, 12, 4, 0, 27));

  const auto now = utc(2026, 12, 7, 0, 30);
  CHECK(days_left(rows[0], now) == 364);
  CHECK(days_left(rows[1], now) == 9);
  CHECK(days_left(rows[2], now) == -1);  // expired a few minutes ago
}

TEST_CASE("check-expiration: a certificate valid until 9999 (RFC 5280's no expiry) is far off, not an overflow",
          "[cluster]") {
  // An external CA may sign until 99991231235959Z; nanoseconds since 1970 end in 2262.
  const auto rows = parse_check_expiration(
      "CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED\n"
      "ca                      Dec 31, 9999 23:59 UTC   7973y           yes\n");
  REQUIRE(rows.size() == 1);
  CHECK(days_left(rows[0], utc(2026, 12, 7, 0, 30)) == 2912102);
}

TEST_CASE("check-expiration: nothing that is no row is read as one", "[cluster]") {
  CHECK(parse_check_expiration("").empty());
  CHECK(parse_check_expiration("error execution phase: open /etc/kubernetes/admin.conf: no such file\n").empty());
  // A row with a malformed date is skipped, not guessed.
  CHECK(parse_check_expiration("CERTIFICATE EXPIRES RESIDUAL\nadmin.conf Foo 07, 2027 00:27 UTC 1d ca no\n").empty());
  // Dates no clock prints: a year past 9999 or before 1, a day past 31.
  for (const char* date : {"Dec 07, 99999999999 00:27 UTC", "Dec 07, 2147483647 00:27 UTC", "Dec 07, 10000 00:27 UTC",
                           "Dec 07, 0 00:27 UTC", "Dec 07, -5 00:27 UTC", "Dec 99, 2027 00:27 UTC", "Dec 0, 2027 00:27 UTC"}) {
    INFO(date);
    CHECK(parse_check_expiration(std::string("CERTIFICATE EXPIRES RESIDUAL\nadmin.conf ") + date + " 1d ca no\n").empty());
  }
}

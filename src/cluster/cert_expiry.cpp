// kubeadm's check-expiration tables (cert_expiry.h).
#include "fleetk8s/cluster/cert_expiry.h"

#include <ctime>
#include <sstream>

#include "fleetk8s/core/strings.h"

namespace fleetk8s::cluster {

namespace {

// "Dec 07, 2027 00:27 UTC" (Go's "Jan 02, 2006 15:04 MST") as a time point;
// years 1 to 9999 (X.509's), days 1 to 31.
std::optional<std::chrono::sys_seconds> parse_expiry(const std::vector<std::string>& w, size_t at) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (at + 5 > w.size() || w[at + 4] != "UTC" || w[at + 1].size() < 2 || w[at + 1].back() != ',') return std::nullopt;
  std::tm tm{};
  tm.tm_mon = -1;
  for (int m = 0; m < 12; ++m)
    if (w[at] == kMonths[m]) tm.tm_mon = m;
  int hour = -1, minute = -1, year = 0;
  try {
    tm.tm_mday = std::stoi(w[at + 1]);
    year = std::stoi(w[at + 2]);
    if (w[at + 3].size() == 5 && w[at + 3][2] == ':') {
      hour = std::stoi(w[at + 3].substr(0, 2));
      minute = std::stoi(w[at + 3].substr(3));
    }
  } catch (...) {
    return std::nullopt;
  }
  if (tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_mday > 31 || year < 1 || year > 9999 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59)
    return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return std::chrono::sys_seconds(std::chrono::seconds(::timegm(&tm)));
}

}  // namespace

std::vector<CertExpiry> parse_check_expiration(const std::string& out) {
  std::vector<CertExpiry> rows;
  bool authorities = false, in_table = false;
  for (const auto& line : split_trimmed(out, '\n')) {
    std::vector<std::string> w;
    std::istringstream words(line);
    for (std::string word; words >> word;) w.push_back(word);
    if (w.empty()) {
      in_table = false;
      continue;
    }
    if (w[0] == "CERTIFICATE" && w.size() > 1) {  // a header: CERTIFICATE EXPIRES ... or CERTIFICATE AUTHORITY EXPIRES ...
      authorities = w[1] == "AUTHORITY";
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    CertExpiry c;
    c.authority = authorities;
    if (w[0] == "!MISSING!" && w.size() > 1) {
      c.name = w[1];
      c.missing = true;
      rows.push_back(c);
      continue;
    }
    auto when = parse_expiry(w, 1);
    if (!when) continue;
    c.name = w[0];
    c.expires = *when;
    c.expires_text = w[1] + " " + w[2] + " " + w[3] + " " + w[4] + " " + w[5];
    rows.push_back(c);
  }
  return rows;
}

long days_left(const CertExpiry& c, std::chrono::system_clock::time_point now) {
  // In seconds: year 9999 in the system clock's nanoseconds would overflow.
  const auto left = (c.expires - std::chrono::time_point_cast<std::chrono::seconds>(now)).count();
  return left >= 0 ? left / 86400 : -((-left + 86399) / 86400);
}

}  // namespace fleetk8s::cluster

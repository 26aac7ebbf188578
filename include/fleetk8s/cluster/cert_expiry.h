// What `kubeadm certs check-expiration` says about a control plane's
// certificates, read from its text output (every kubeadm fleetk8s installs
// prints the same two tables; `-o json` came later): the certificates and
// the certificate authorities, each with its expiry date. Pure: no I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fleetk8s::cluster {

struct CertExpiry {
  std::string name;          // "apiserver", "admin.conf", "ca"
  bool authority = false;    // from the CERTIFICATE AUTHORITY table
  bool missing = false;      // kubeadm printed "!MISSING! NAME"
  std::chrono::sys_seconds expires{};  // (missing: the epoch); seconds, as 9999 is past what nanoseconds hold
  std::string expires_text;  // as kubeadm printed it: "Dec 07, 2027 00:27 UTC"
};

// The rows of both tables, in kubeadm's order; lines that are no rows (the
// [check-expiration] notes, headers, blank lines) are skipped.
std::vector<CertExpiry> parse_check_expiration(const std::string& out);

// Whole days from `now` until `c` expires (negative once expired).
long days_left(const CertExpiry& c, std::chrono::system_clock::time_point now);

}  // namespace fleetk8s::cluster

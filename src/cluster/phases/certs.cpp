// Every control plane's certificates and when they expire (kubeadm certs
// check-expiration, read-only), against cert_renew_days: the verdict is 0
// (none due), 2 (some expire within cert_renew_days: named with node and
// date), 3 (some expired or missing, or kubeadm could not tell), 4 (a
// control plane unreachable).
#include <algorithm>
#include <cstdio>

#include "fleetk8s/cluster/cert_expiry.h"
#include "fleetk8s/core/strings.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

constexpr std::chrono::seconds kCertsQueryTimeout{60};

long renew_days(const ClusterRun& run) {
  const auto& extra = run.engine.options().extra_vars;
  auto it = extra.find("cert_renew_days");
  if (it == extra.end()) return 30;
  try {
    return std::stol(it->second.to_display());
  } catch (...) {
    return 30;
  }
}

ssh::Task<int> show(ClusterRun& run) {
  const long threshold = renew_days(run);
  const auto now = std::chrono::system_clock::now();
  int code = kClusterOk;
  size_t fine = 0;
  std::vector<std::string> due, gone;
  for (const auto& cp : run.roles.control_planes) {
    auto r = co_await run.as_root(cp, "kubeadm certs check-expiration\n", kCertsQueryTimeout);
    if (!r) {
      run.message("fleetk8s: " + cp + ": " + r.error().message());
      code = std::max(code, is_unreachable(r.error().kind()) ? kClusterUnreachable : kClusterHostsFailed);
      continue;
    }
    const auto rows = parse_check_expiration(r->out);
    if (!r->success() || rows.empty()) {
      const std::string why = trim(r->err.empty() ? r->out : r->err);
      run.message("fleetk8s: " + cp + ": kubeadm certs check-expiration failed: " + why.substr(0, why.find('\n')));
      code = std::max(code, kClusterHostsFailed);
      continue;
    }
    std::string text = cp + ":";
    for (const auto& c : rows) {
      const long days = days_left(c, now);
      std::string state;
      if (c.missing) {
        state = "MISSING";
        gone.push_back(cp + " " + c.name + " (missing)");
      } else if (days < 0) {
        state = "EXPIRED";
        gone.push_back(cp + " " + c.name + " (expired " + c.expires_text + ")");
      } else if (days < threshold) {
        state = "due: within cert_renew_days (" + std::to_string(threshold) + ")";
        due.push_back(cp + " " + c.name + " (" + c.expires_text + ", " + std::to_string(days) + " days)");
      } else {
        ++fine;
      }
      char line[160];
      std::snprintf(line, sizeof line, "\n  %-24s %-4s %-24s %6s  ", c.name.c_str(), c.authority ? "CA" : "",
                    c.missing ? "-" : c.expires_text.c_str(), c.missing ? "-" : (std::to_string(days) + "d").c_str());
      text += std::string(line) + state;
      while (!text.empty() && text.back() == ' ') text.pop_back();
    }
    run.message(text);
  }
  std::string verdict = "certificates: " + std::to_string(fine) + " ok";
  if (!due.empty()) verdict += "; due (within " + std::to_string(threshold) + " days): " + join(due, ", ");
  if (!gone.empty()) verdict += "; EXPIRED or missing: " + join(gone, ", ");
  if (!due.empty() || !gone.empty())
    verdict += "\nrenew them on each control plane in turn: kubeadm certs renew all, then restart its static pods "
               "(the API server first), then fleetk8s kubeconfig";
  run.message(verdict);
  if (!gone.empty()) code = std::max(code, kClusterHostsFailed);
  else if (!due.empty() && code == kClusterOk) code = kClusterDrift;
  co_return code;
}

}  // namespace

Phase certificates() {
  Phase p;
  p.title = "Read every control plane's certificates";
  p.hosts = "the control planes (kubeadm certs check-expiration; read-only)";
  p.reads = "cert_renew_days";
  p.produces = "each certificate's expiry; the verdict";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> { co_return Outcome::end(co_await show(run)); };
  return p;
}

}  // namespace fleetk8s::cluster::phases

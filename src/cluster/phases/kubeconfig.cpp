// Write the admin kubeconfig on this machine: kubeconfig.yml reads
// /etc/kubernetes/admin.conf on the first control plane; its server is set
// to the endpoint this machine reaches; the file is written 0600 through a
// private temporary file renamed over the old one, and left alone when it
// already holds the same text.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>

#include "fleetk8s/core/file.h"
#include "fleetk8s/report/private_file.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

// `conf` (a kubeconfig) with every cluster's "server:" pointing at `url`.
// Line by line, no regex: the file comes from a remote host.
std::string with_server(const std::string& conf, const std::string& url) {
  std::string out;
  size_t at = 0;
  while (at < conf.size()) {
    const size_t nl = std::min(conf.find('\n', at), conf.size());
    const std::string_view line(conf.data() + at, nl - at);
    const size_t indent = line.find_first_not_of(" \t");
    if (indent != std::string_view::npos && line.substr(indent, 8) == "server: ")
      out.append(line.substr(0, indent + 8)).append(url);
    else
      out.append(line);
    if (nl < conf.size()) out += '\n';
    at = nl + 1;
  }
  return out;
}

// Whether `path` is already a regular file holding `text` that only its
// owner (this user) can read.
bool private_copy_of(const std::string& path, const std::string& text) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0 || st.st_uid != ::geteuid())
    return false;
  auto existing = read_file(path);
  return existing && *existing == text;
}

int write(ClusterRun& run) {
  std::string conf = run.registered(run.first_cp(), "admin_kubeconfig");
  if (conf.empty()) {
    run.message("fleetk8s: could not read /etc/kubernetes/admin.conf on " + run.first_cp());
    return kClusterHostsFailed;
  }
  const std::string& endpoint = run.state.api_endpoint;
  if (!endpoint.empty()) conf = with_server(conf, "https://" + endpoint);
  if (conf.back() != '\n') conf += '\n';
  const std::string& path = run.options.kubeconfig_out;
  if (private_copy_of(path, conf)) {
    run.message("kubeconfig " + path + " is up to date");
    return kClusterOk;
  }
  if (auto w = report::write_private_file(path, conf); !w) {
    run.message("fleetk8s: " + w.error().message() + " (the kubeconfig)");
    return kClusterBadInput;
  }
  run.message("kubeconfig written: " + path + " (mode 0600; server https://" + endpoint + ")");
  return kClusterOk;
}

}  // namespace

Phase kubeconfig() {
  Phase p;
  p.title = "Write the admin kubeconfig on this machine";
  p.hosts = "the first control plane";
  p.produces = "the kubeconfig file (--kubeconfig-out)";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    std::vector<std::string> cp{run.first_cp()};
    auto r = co_await run.playbook("kubeconfig.yml", std::move(cp));
    if (!r) co_return after(run, r);
    const int code = write(run);
    co_return code == kClusterOk ? Outcome::next() : Outcome::end(code);
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases

// The Kubernetes story, top-down: connect and check → prepare every host →
// initialise the first control plane → capture the join data → join the
// other nodes → wait until every node is Ready → hand the admin a kubeconfig.
// Each phase runs one playbook of playbooks/ on one shared PlaybookEngine,
// so every host keeps its one SSH connection throughout; the wait for Ready
// nodes polls kubectl on that connection itself, to say where it stands.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <map>
#include <string_view>

#include "fleetk8s/core/file.h"
#include "fleetk8s/orchestrator/cluster.h"
#include "fleetk8s/orchestrator/run_lock.h"
#include "fleetk8s/playbook/loader.h"
#include "fleetk8s/report/private_file.h"
#include "join_data.h"
#include "node_readiness.h"
#include "preflight.h"

namespace fleetk8s::orchestrator {

namespace {

constexpr int kPhases = 7;
// Waiting for Ready nodes: a poll every kReadyPoll, each answer within
// kReadyQueryTimeout, the whole wait within kReadyDeadline.
constexpr std::chrono::seconds kReadyPoll{2};
constexpr std::chrono::seconds kReadyQueryTimeout{30};
constexpr std::chrono::seconds kReadyDeadline{300};

ssh::Task<void> sleep_for(std::chrono::seconds d) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, d);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

// A registered variable's field on a host (nullptr when absent).
const Value* registered_value(const PlaybookEngine& e, const std::string& host, const std::string& var,
                              const std::string& field) {
  const auto* facts = e.host_facts(host);
  if (!facts) return nullptr;
  auto it = facts->find(var);
  if (it == facts->end() || !it->second.is_object()) return nullptr;
  return it->second.find(field);
}

// The same as text ("" when absent).
std::string registered(const PlaybookEngine& e, const std::string& host, const std::string& var,
                       const std::string& field = "stdout") {
  const Value* f = registered_value(e, host, var, field);
  return f && f->is_string() ? f->as_string() : f ? f->to_display() : "";
}

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

bool was_skipped(const PlaybookEngine& e, const std::string& host, const std::string& var) {
  return registered(e, host, var, "skipped") == "True" || registered(e, host, var, "rc").empty();
}

class ClusterRun {
 public:
  ClusterRun(PlaybookEngine& engine, const ClusterRoles& roles, const ClusterOptions& options,
             report::PlaybookReporter& reporter)
      : engine_(engine), roles_(roles), options_(options), reporter_(reporter), check_(engine.options().check) {
    hosts_ = roles.control_planes;
    hosts_.insert(hosts_.end(), roles.workers.begin(), roles.workers.end());
  }

  ssh::Task<int> up() {
    if (auto r = co_await phase(1, "Connect to every host, gather facts, check prerequisites", "preflight.yml", hosts_); !r)
      co_return fail(r.error());
    if (int stop = preflight_verdict(); stop != kClusterOk) co_return stop;
    if (control_plane_down("reached")) co_return kClusterControlPlane;
    if (check_) co_return co_await converge();  // check changes nothing: no lock

    if (int r = co_await take_lock(); r != kClusterOk) co_return r;
    const int code = co_await converge();
    co_await release_lock();
    co_return code;
  }

  // `reset` on `hosts`, under the run lock.
  ssh::Task<int> reset(std::vector<std::string> hosts) {
    auto book = playbook::load_playbook(options_.playbook_dir + "/reset.yml");
    if (!book) co_return fail(book.error());
    if (int r = co_await take_lock(); r != kClusterOk) co_return r;
    auto r = co_await engine_.run(*book, std::move(hosts));
    co_await release_lock();
    if (!r) co_return fail(r.error());
    co_return hosts_verdict();
  }

  ssh::Task<int> kubeconfig_only() { co_return co_await write_kubeconfig(1); }

  std::vector<std::pair<std::string, std::string>>* changes = nullptr;  // check mode's drift, when recorded

 private:
  // Phases 2 to 7: everything that changes hosts.
  ssh::Task<int> converge() {
    if (auto r = co_await phase(2, "Prepare every host (SELinux, swap, modules, sysctls, CRI-O, kubelet)",
                                "prepare.yml", hosts_); !r)
      co_return fail(r.error());
    if (control_plane_down("prepared")) co_return kClusterControlPlane;

    if (auto r = co_await phase(3, "Initialise the first control plane", "control-plane.yml", cp_only()); !r)
      co_return fail(r.error());
    if (control_plane_down("initialised")) co_return kClusterControlPlane;

    const std::vector<std::string> joining = hosts_to_join();
    if (joining.empty()) {
      note(4, "Capture the join data: every node is a member already");
      note(5, "Join the other nodes: nothing to join");
    } else {
      if (check_) {
        note(4, "Capture the join data: skipped in check mode");
        for (const char* k : {"join_endpoint", "join_token", "join_ca_hash", "join_certificate_key"})
          engine_.set_extra_var(k, "(check mode)");
      } else {
        banner(4, "Capture the join data");
        auto data = co_await capture_join_data(joining);
        if (!data) {
          reporter_.message("fleetk8s: " + data.error().message() + "; not joining any node");
          co_return kClusterControlPlane;
        }
        reporter_.message("join endpoint " + data->endpoint + ", CA " + data->ca_hash + " (cross-checked)");
      }
      if (auto r = co_await phase(5, "Join the other nodes, all at once", "join.yml", joining); !r)
        co_return fail(r.error());
    }
    if (check_) co_return check_verdict();

    if (int r = co_await wait_ready(); r != kClusterOk) co_return r;
    if (int r = co_await write_kubeconfig(7); r != kClusterOk) co_return r;
    co_return hosts_verdict();
  }

  // The run lock on the first control plane (run_lock.h), through its own
  // connection of this run. kClusterOk once held.
  ssh::Task<int> take_lock() {
    auto link = co_await engine_.host_link(first_cp());
    if (!link) {
      reporter_.message("fleetk8s: cannot take the run lock on " + first_cp() + ": " + link.error().message());
      co_return kClusterControlPlane;
    }
    auto got = co_await RunLock::acquire(*link->connection, link->become, LockHolder::me(options_.command),
                                         options_.lock_wait, [&](const LockHolder& holder) {
                                           reporter_.message("fleetk8s: waiting up to " +
                                                             std::to_string(options_.lock_wait.count()) +
                                                             " s for the run lock held by " + holder.describe());
                                         });
    if (!got) {
      reporter_.message("fleetk8s: " + first_cp() + ": " + got.error().message());
      co_return is_unreachable(got.error().kind()) ? kClusterUnreachable : kClusterControlPlane;
    }
    if (got->held_by) {
      reporter_.message("fleetk8s: another run holds the cluster's run lock on " + first_cp() + ": " +
                        got->held_by->describe() + "; nothing was changed (wait for it, or use --wait-lock DURATION)");
      co_return kClusterLocked;
    }
    if (got->stale)
      reporter_.message("fleetk8s: took over a stale run lock on " + first_cp() + ": " + got->stale->describe() +
                        " ended without releasing it");
    lock_ = std::move(got->lock);
    co_return kClusterOk;
  }

  ssh::Task<void> release_lock() {
    if (!lock_) co_return;
    if (auto r = co_await lock_->release(); !r) reporter_.message("fleetk8s: " + first_cp() + ": " + r.error().message());
    lock_.reset();
  }

  // After the phases: 3 when a host failed, else 4 when one was unreachable.
  int hosts_verdict() const {
    const int code = engine_.exit_code();  // Ansible's bits: 2 failed, 4 unreachable
    if (code & 2) return kClusterHostsFailed;
    if (code & 4) return kClusterUnreachable;
    return kClusterOk;
  }

  const std::string& first_cp() const { return roles_.control_planes.front(); }
  std::vector<std::string> cp_only() const { return {first_cp()}; }

  void banner(int n, const std::string& title) {
    reporter_.phase(n, kPhases, title);
  }
  void note(int n, const std::string& title) { banner(n, title); }

  int fail(const Error& e) {
    reporter_.message("fleetk8s: " + e.message());
    return e.kind() == ErrorKind::kCancelled ? kClusterInterrupted : kClusterBadInput;
  }

  ssh::Task<Result<void>> phase(int n, std::string title, std::string file, std::vector<std::string> only) {
    banner(n, title);
    auto book = playbook::load_playbook(options_.playbook_dir + "/" + file);
    if (!book) co_return book.error();
    books_.push_back(std::make_unique<playbook::Playbook>(std::move(*book)));  // compiled tasks point into it
    auto r = co_await engine_.run(*books_.back(), std::move(only));
    if (r && engine_.stopped()) co_return Error(ErrorKind::kCancelled, "interrupted: stopped after phase " + std::to_string(n));
    co_return r;
  }

  bool control_plane_down(const char* what) {
    if (!engine_.host_down(first_cp())) return false;
    reporter_.message("fleetk8s: the control plane " + first_cp() + " could not be " + what +
                      " (see above): not joining any node");
    return true;
  }

  // Every finding of every host, then the clashes between hosts; errors stop
  // the run, warnings are printed and it goes on (preflight.h).
  int preflight_verdict() {
    // Unreachable hosts are reported above and sit the run out; they do not
    // stop the others (a down control plane is checked by the caller).
    std::vector<PreflightHost> reached;
    for (const auto& h : hosts_)
      if (!engine_.host_down(h)) reached.push_back({h, engine_.host_gathered(h), engine_.host_facts(h)});
    const PreflightSummary s = summarize(preflight_findings(reached));
    if (s.lines.empty()) {
      reporter_.message("preflight: every host meets the prerequisites");
      return kClusterOk;
    }
    auto counted = [](int n, const std::string& what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
    std::string text = "preflight: " + (s.errors ? counted(s.errors, "error") + (s.warnings ? ", " : "") : "") +
                       (s.warnings ? counted(s.warnings, "warning") : "");
    for (const auto& l : s.lines) text += "\n  " + l;
    if (s.errors == 0) {
      reporter_.message(text + "\nno errors: going on");
      return kClusterOk;
    }
    if (options_.skip_preflight || check_) {
      reporter_.message(text + (check_ ? "" : "\n(--skip-preflight: going on)"));
      return kClusterOk;
    }
    reporter_.message(text + "\nnothing was changed; fix the errors or run again with --skip-preflight");
    return kClusterPreflight;
  }

  std::vector<std::string> hosts_to_join() {
    std::vector<std::string> out;
    for (const auto& h : hosts_) {
      if (h == first_cp() || engine_.host_down(h)) continue;
      const Value* stat = registered_value(engine_, h, "kubelet_conf", "stat");
      const Value* exists = stat ? stat->find("exists") : nullptr;
      if (!exists || !exists->is_bool() || !exists->as_bool()) out.push_back(h);
    }
    return out;
  }

  ssh::Task<Result<JoinData>> capture_join_data(const std::vector<std::string>& joining) {
    const bool control_planes_join = std::any_of(joining.begin(), joining.end(), [&](const std::string& h) {
      return std::find(roles_.control_planes.begin(), roles_.control_planes.end(), h) != roles_.control_planes.end();
    });
    const std::string cp = first_cp();
    Result<JoinData> data = Error(ErrorKind::kGeneric, "no join data");
    if (!was_skipped(engine_, cp, "kubeadm_init")) {
      data = parse_join_command(registered(engine_, cp, "kubeadm_init"));  // this run's init
      if (data) reporter_.message("join data from this run's kubeadm init");
    }
    if (!data) {
      engine_.set_extra_var("upload_certs_needed", control_planes_join);
      auto r = co_await phase(4, "Capture the join data: a fresh token from the control plane", "join-command.yml", cp_only());
      if (!r) co_return r.error();
      if (engine_.host_down(cp)) co_return Error(ErrorKind::kGeneric, "the control plane could not create a join token");
      data = parse_join_command(registered(engine_, cp, "join_command"));
      if (data && control_planes_join) {
        auto key = parse_certificate_key(registered(engine_, cp, "upload_certs"));
        if (!key) co_return key.error().context("upload-certs");
        data->certificate_key = *key;
      }
    }
    if (!data) co_return data.error();  // the parsers registered the token and key as secrets
    const std::string computed = "sha256:" + registered(engine_, cp, "ca_cert_hash");
    if (computed != data->ca_hash)
      co_return Error(ErrorKind::kGeneric, "the join command's CA hash " + data->ca_hash +
                                               " differs from the one of /etc/kubernetes/pki/ca.crt (" + computed + ")");
    if (control_planes_join && data->certificate_key.empty())
      co_return Error(ErrorKind::kGeneric, "control planes must join but kubeadm printed no certificate key");
    engine_.set_extra_var("join_endpoint", data->endpoint);
    engine_.set_extra_var("join_token", data->token);
    engine_.set_extra_var("join_ca_hash", data->ca_hash);
    engine_.set_extra_var("join_certificate_key", data->certificate_key);
    co_return data;
  }

  // Polls the nodes' Ready condition on the first control plane and says
  // where it stands whenever that changes, up to kReadyDeadline.
  ssh::Task<int> wait_ready() {
    std::vector<std::string> expected;
    for (const auto& h : hosts_) {
      if (engine_.host_down(h)) continue;
      const auto* g = engine_.host_gathered(h);
      auto it = g ? g->find("ansible_nodename") : Value::Object::const_iterator{};
      expected.push_back(g && it != g->end() ? it->second.to_display() : h);
    }
    banner(6, "Wait until every node is Ready");
    auto link = co_await engine_.host_link(first_cp());
    if (!link) {
      reporter_.message("fleetk8s: " + first_cp() + ": " + link.error().message());
      co_return is_unreachable(link.error().kind()) ? kClusterUnreachable : kClusterHostsFailed;
    }
    const auto deadline = std::chrono::steady_clock::now() + kReadyDeadline;
    std::string said;
    ReadinessProgress p;
    while (true) {
      auto look = co_await look_at_nodes(*link, expected);
      if (!look && is_unreachable(look.error().kind())) {
        reporter_.message("fleetk8s: " + first_cp() + ": " + look.error().message());
        co_return kClusterUnreachable;
      }
      if (look && look->done()) break;  // said below
      if (look) p = *look;
      const std::string now = look ? p.line : "the API server does not answer yet (" + look.error().message() + ")";
      if (now != said) reporter_.message(said = now);
      if (engine_.stopped()) co_return kClusterInterrupted;
      if (std::chrono::steady_clock::now() + kReadyPoll > deadline) {
        std::string waiting;
        for (const auto& w : p.waiting) waiting += "\n  " + w;
        reporter_.message("fleetk8s: not Ready after waiting " + std::to_string(kReadyDeadline.count()) + " s:" +
                          (waiting.empty() ? "\n  " + now : waiting));
        co_return kClusterHostsFailed;
      }
      co_await sleep_for(kReadyPoll);
    }
    reporter_.message("every node is Ready (" + std::to_string(expected.size()) + ")");
    co_return kClusterOk;
  }

  // One look at the nodes through `link` (as root): where the wait stands,
  // or why kubectl gave no answer (kubectl's first error line).
  ssh::Task<Result<ReadinessProgress>> look_at_nodes(const PlaybookEngine::HostLink& link,
                                                     const std::vector<std::string>& expected) {
    ssh::ExecOptions exec;
    exec.become = link.become;
    exec.become.enabled = true;
    exec.become.user = "root";
    exec.timeout = kReadyQueryTimeout;
    auto r = co_await link.connection->exec(kNodeReadinessCommand, exec);
    if (!r) co_return r.error();
    if (!r->success()) {
      const std::string first = r->err.substr(0, r->err.find('\n'));
      co_return Error(ErrorKind::kGeneric, first.empty() ? "kubectl: " + r->describe_exit() : first);
    }
    co_return readiness_progress(expected, parse_node_readiness(r->out));
  }

  ssh::Task<int> write_kubeconfig(int n) {
    if (auto r = co_await phase(n, "Write the admin kubeconfig on this machine", "kubeconfig.yml", cp_only()); !r)
      co_return fail(r.error());
    std::string conf = registered(engine_, first_cp(), "admin_kubeconfig");
    if (conf.empty()) {
      reporter_.message("fleetk8s: could not read /etc/kubernetes/admin.conf on " + first_cp());
      co_return kClusterHostsFailed;
    }
    const std::string endpoint = options_.api_server;
    if (!endpoint.empty()) conf = with_server(conf, "https://" + endpoint);
    if (conf.back() != '\n') conf += '\n';
    const std::string path = options_.kubeconfig_out;
    if (private_copy_of(path, conf)) {
      reporter_.message("kubeconfig " + path + " is up to date");
      co_return kClusterOk;
    }
    // A new 0600 file renamed over the old one: never readable by others,
    // never half written, never written through a symbolic link.
    if (auto w = report::write_private_file(path, conf); !w) {
      reporter_.message("fleetk8s: " + w.error().message() + " (the kubeconfig)");
      co_return kClusterBadInput;
    }
    reporter_.message("kubeconfig written: " + path + " (mode 0600; server https://" + endpoint + ")");
    co_return kClusterOk;
  }

  int check_verdict() {
    if (int code = hosts_verdict(); code != kClusterOk) {
      reporter_.message("fleetk8s check: some hosts failed or were unreachable (see above)");
      return code;
    }
    if (!changes || changes->empty()) {
      reporter_.message("\nconverged: nothing would change");
      return kClusterOk;
    }
    std::string text = "\ndrift: " + std::to_string(changes->size()) + " task(s) would change:";
    for (const auto& [host, task] : *changes) text += "\n  " + host + ": " + task;
    reporter_.message(text);
    return kClusterDrift;
  }

  PlaybookEngine& engine_;
  const ClusterRoles& roles_;
  const ClusterOptions& options_;
  report::PlaybookReporter& reporter_;
  const bool check_;
  std::vector<std::string> hosts_;
  std::vector<std::unique_ptr<playbook::Playbook>> books_;
  std::unique_ptr<RunLock> lock_;  // held from after preflight to the end of up / reset
};

}  // namespace

ssh::Task<int> cluster_up(PlaybookEngine& engine, const ClusterRoles& roles, const ClusterOptions& options,
                          report::PlaybookReporter& reporter, std::vector<std::pair<std::string, std::string>>* changes) {
  ClusterRun run(engine, roles, options, reporter);
  run.changes = changes;
  co_return co_await run.up();
}

ssh::Task<int> cluster_kubeconfig(PlaybookEngine& engine, const ClusterRoles& roles, const ClusterOptions& options,
                                  report::PlaybookReporter& reporter) {
  ClusterRun run(engine, roles, options, reporter);
  co_return co_await run.kubeconfig_only();
}

ssh::Task<int> cluster_reset(PlaybookEngine& engine, const ClusterRoles& roles, const ClusterOptions& options,
                             report::PlaybookReporter& reporter, std::vector<std::string> hosts) {
  ClusterRun run(engine, roles, options, reporter);
  co_return co_await run.reset(std::move(hosts));
}

}  // namespace fleetk8s::orchestrator

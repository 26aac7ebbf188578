#include "fleetk8s/cluster/watch.h"

#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <cstdio>

#include "fleetk8s/cluster/cluster_run.h"
#include "fleetk8s/cluster/commands.h"
#include "fleetk8s/core/file.h"
#include "fleetk8s/core/strings.h"
#include "fleetk8s/orchestrator/parallel.h"
#include "fleetk8s/report/event_buffer.h"
#include "fleetk8s/report/fanout_reporter.h"
#include "fleetk8s/report/json_report.h"
#include "fleetk8s/report/run_folder.h"
#include "fleetk8s/report/run_record.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

namespace {

using Steady = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kMaxRetryPause{5 * 60 * 1000};
constexpr std::chrono::seconds kProbeTimeout{30};

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.2f s" : "%.0f s", s);
  return buf;
}

std::string duration_text(std::chrono::milliseconds d) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + (s % 60 ? " " + std::to_string(s % 60) + "s" : "");
  return std::to_string(s / 3600) + "h " + std::to_string(s % 3600 / 60) + "m";
}

}  // namespace

struct Watch::Timer {
  explicit Timer(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
  boost::asio::steady_timer timer;
};

// One cycle's (or fix batch's) events and what was found in them.
struct Watch::Cycle {
  int number = 0;
  bool check = true;
  report::EventBuffer events;
  std::vector<std::pair<std::string, std::string>> changes;  // (host, task): would change / changed
  std::map<std::string, std::vector<std::string>> fixable;   // host -> tasks a fix may correct
  std::map<std::string, std::string> failed;                 // host -> "task: message"
  std::vector<std::string> problems;
  std::vector<std::string> messages;
  report::Clock::time_point start{}, end{};
  int code = 0;
  int said = 0;        // findings said (new and resolved)
  std::string folder;  // its run folder, when it has one
  // The cluster's check with fingerprints: each host's (nullopt: the probe
  // failed), when they were taken, and the hosts checked in full.
  std::map<std::string, std::optional<std::string>> fingerprints;
  Steady::time_point probed_at{};
  std::vector<std::string> full;
  bool probed = false;
};

namespace {

// Keeps a cycle's events, and what changed or failed in them, by phase.
class CycleRecorder final : public report::PlaybookReporter {
 public:
  CycleRecorder(std::vector<std::pair<std::string, std::string>>& changes,
                std::map<std::string, std::vector<std::string>>& fixable, std::map<std::string, std::string>& failed,
                std::vector<std::string>& messages, report::EventBuffer& events, bool every_phase_fixable)
      : changes_(changes), fixable_(fixable), failed_(failed), messages_(messages), events_(events),
        in_fixable_phase_(every_phase_fixable), every_phase_fixable_(every_phase_fixable) {}

  void play_start(const std::string& name) override { events_.play_start(name); }
  void task_start(const std::string& kind, const std::string& name) override {
    task_ = name;
    events_.task_start(kind, name);
  }
  void task_result(const report::TaskResultEvent& e) override {
    if (e.status == report::TaskStatus::kChanged) {
      std::pair<std::string, std::string> c{e.host, task_};
      if (changes_.empty() || changes_.back() != c) {
        changes_.push_back(c);
        if (in_fixable_phase_) fixable_[e.host].push_back(task_);
      }
    }
    if (e.status == report::TaskStatus::kFailed && !e.ignored && !failed_.count(e.host)) {
      const Value* msg = e.result.is_object() ? e.result.find("msg") : nullptr;
      failed_[e.host] = task_ + (msg ? ": " + first_line(msg->to_display()) : "");
    }
    events_.task_result(e);
  }
  void message(const std::string& text) override {
    messages_.push_back(text);
    events_.message(text);
  }
  void recap(const std::vector<std::pair<std::string, report::HostStats>>& stats) override { events_.recap(stats); }
  void phase(int n, int total, const std::string& title) override {
    // The OS preparation is what a fix may correct; the rest is up's,
    // upgrade's or certs' to do.
    in_fixable_phase_ = every_phase_fixable_ || title == phases::prepare().title;
    events_.phase(n, total, title);
  }
  void task_hosts(const std::vector<std::string>& hosts) override { events_.task_hosts(hosts); }
  void host_task_start(const std::string& host) override { events_.host_task_start(host); }
  void milestone(const std::string& host, const std::string& what) override { events_.milestone(host, what); }

 private:
  static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

  std::vector<std::pair<std::string, std::string>>& changes_;
  std::map<std::string, std::vector<std::string>>& fixable_;
  std::map<std::string, std::string>& failed_;
  std::vector<std::string>& messages_;
  report::EventBuffer& events_;
  std::string task_;
  bool in_fixable_phase_;
  const bool every_phase_fixable_;
};

}  // namespace

Watch::Watch(orchestrator::SessionPool& pool, WatchSettings settings, FleetLoader load,
             std::function<void(const std::string&)> say)
    : pool_(pool), settings_(std::move(settings)), load_(std::move(load)), say_(std::move(say)) {}

Watch::~Watch() = default;

Result<void> Watch::load() {
  for (const auto& f : settings_.watched_files) file_stamps_[f] = file_stamp(f);
  auto fleet = load_();
  if (!fleet) return fleet.error();
  fleet_ = std::make_unique<WatchFleet>(std::move(*fleet));
  for (const auto& h : fleet_->hosts) hosts_[h];
  return {};
}

void Watch::stop() {
  stopped_ = true;
  if (running_) running_->stop();
  if (timer_) timer_->timer.cancel();
}

void Watch::reload() {
  reload_asked_ = true;
  if (timer_) timer_->timer.cancel();
}

ssh::Task<void> Watch::reload_if_changed() {
  bool changed = reload_asked_;
  for (auto& [file, stamp] : file_stamps_) changed = changed || file_stamp(file) != stamp;
  if (!changed) co_return;
  reload_asked_ = false;
  for (auto& [file, stamp] : file_stamps_) stamp = file_stamp(file);
  auto fleet = load_();
  if (!fleet) {
    if (fleet.error().message() != bad_inventory_)
      say_("inventory: not read again, the hosts read before are still watched: " + fleet.error().message());
    bad_inventory_ = fleet.error().message();
    co_return;
  }
  bad_inventory_.clear();
  auto next = std::make_unique<WatchFleet>(std::move(*fleet));
  std::vector<std::string> added, removed;
  for (const auto& h : next->hosts)
    if (!hosts_.count(h)) added.push_back(h);
  for (const auto& [h, w] : hosts_)
    if (std::find(next->hosts.begin(), next->hosts.end(), h) == next->hosts.end()) removed.push_back(h);
  for (const auto& h : removed) {
    hosts_.erase(h);
    lost_.erase(h);
    known_.erase(h);
    for (auto it = findings_.begin(); it != findings_.end();)
      it = it->find(": " + h + ": ") != std::string::npos ? findings_.erase(it) : std::next(it);
  }
  for (const auto& h : next->hosts) hosts_[h];
  co_await pool_.retain(next->targets);
  fleet_ = std::move(next);
  baselines_.clear();  // what the check expects may have changed with the inventory
  say_("inventory: read again: " + std::to_string(fleet_->hosts.size()) + " hosts" +
       (added.empty() ? "" : "; added " + join(added, ", ")) +
       (removed.empty() ? "" : "; removed " + join(removed, ", ")));
}

ssh::Task<void> Watch::revive_due() {
  const auto now = Steady::now();
  for (auto& [host, lost] : lost_) {
    lost.tried = now >= lost.next_try;
    if (lost.tried) co_await pool_.revive(host);
  }
}

// One engine over the pool's sessions: in check mode the cluster's check
// (or the playbook) on every host; else the fix of `hosts` (the OS
// preparation under the run lock, or the playbook). Its events and findings
// go into `c`.
ssh::Task<void> Watch::run_engine(Cycle& c, const std::vector<std::string>& hosts) {
  const WatchFleet& fleet = *fleet_;
  orchestrator::RunOptions options = fleet.run_options;
  options.check = c.check;
  CycleRecorder rec(c.changes, c.fixable, c.failed, c.messages, c.events, fleet.book != nullptr || !c.check);
  orchestrator::PlaybookEngine engine(pool_, *fleet.inventory, fleet.targets, options, rec);
  running_ = &engine;
  if (stopped_) engine.stop();
  if (fleet.book) {
    auto r = co_await engine.run(*fleet.book, hosts);
    c.code = !r ? orchestrator::kClusterBadInput : engine.exit_code();
    if (c.code == 0 && c.check && !c.changes.empty()) c.code = orchestrator::kClusterDrift;
    if (!r) c.problems.push_back(r.error().message());
  } else {
    ClusterRun run(engine, fleet.roles, fleet.options, rec);
    run.state.hosts = hosts;  // (a cycle with fingerprints narrows them in its first phase)
    seed_known(run);
    run.changes = &c.changes;
    const bool fingerprints = c.check && settings_.full_every > settings_.every;
    std::vector<Phase> phases;
    if (fingerprints) phases = cycle_phases(c);
    else if (c.check) phases = check_phases();
    else phases = fix_phases();
    c.code = co_await run_phases(run, phases);
    c.problems = run.state.problems;
    for (const auto& [host, name] : run.state.node_names) known_[host].node = name;
    for (const auto& [host, version] : run.state.kubelet_versions) known_[host].kubelet = version;
  }
  rec.recap(engine.stats());
  co_await engine.close();  // (the pool's sessions stay open)
  running_ = nullptr;
  c.end = report::Clock::now();
}

// A cycle of the cluster's check with fingerprints: a first phase takes
// every host's fingerprint and, at the same time, checks the control
// planes' health (independent of it, and the one part of the check that
// runs every cycle); then the check's phases on the hosts whose fingerprint
// changed (fingerprint.h). The health waits for the connect phase instead
// (as in `check`) while a control plane's node name is not known yet or
// the first control plane is lost (connect finds the one to stand in).
std::vector<Phase> Watch::cycle_phases(Cycle& c) {
  const Phase health = phases::control_plane_health();
  bool health_first = !pool_.lost(fleet_->roles.control_planes.front());
  for (const auto& cp : fleet_->roles.control_planes) health_first = health_first && known_.count(cp);
  Phase first;
  first.title = std::string("Fingerprint every host") + (health_first ? "; " + health.title : "");
  first.hosts = "every host (one script each)" + (health_first ? "; " + health.hosts : "");
  first.produces = "the hosts to check in full: those whose fingerprint changed";
  first.run = [this, &c, health_first, check = health.run](ClusterRun& run) -> ssh::Task<Outcome> {
    co_await orchestrator::parallel_for(2, 2, [&](size_t i) -> ssh::Task<void> {
      if (i == 0) run.state.hosts = co_await probe(run, c);
      else if (health_first) co_await check(run);
    });
    co_return Outcome::next();
  };
  std::vector<Phase> out{first};
  for (auto& p : check_phases())
    if (!health_first || p.title != health.title) out.push_back(std::move(p));
  return out;
}

// Every host's fingerprint (at most forks at a time) in its remote shell;
// returns the hosts to check in full.
ssh::Task<std::vector<std::string>> Watch::probe(ClusterRun& run, Cycle& c) {
  const std::vector<std::string>& hosts = fleet_->hosts;
  std::vector<std::optional<std::string>> found(hosts.size());
  c.probed_at = Steady::now();
  co_await orchestrator::parallel_for(hosts.size(), fleet_->run_options.forks, [&](size_t i) -> ssh::Task<void> {
    auto r = co_await run.engine.run_as_root(hosts[i], std::string(fingerprint_script()), kProbeTimeout);
    if (r && r->success()) found[i] = fingerprint_of(r->out);
  });
  for (size_t i = 0; i < hosts.size(); ++i) c.fingerprints[hosts[i]] = found[i];
  c.probed = true;
  c.full = hosts_to_check(hosts, c.fingerprints, baselines_, c.probed_at, settings_.full_every);
  co_return c.full;
}

// What the last full check of each host found (its node name and kubelet
// version): the connect phase replaces the entries of the hosts it checks;
// those of the hosts left out stand (the control planes' health names etcd
// members by node, the version check compares every host).
void Watch::seed_known(ClusterRun& run) const {
  for (const auto& host : fleet_->hosts) {
    auto k = known_.find(host);
    if (k == known_.end()) continue;
    run.state.node_names.emplace_back(host, k->second.node);
    run.state.kubelet_versions.emplace_back(host, k->second.kubelet);
  }
}

// A host checked in full and found converged keeps the fingerprint taken
// before that check as its baseline; one that drifted, failed, has a
// problem ("HOST: ...": a certificate expired) or was not reached loses it
// (checked in full until it is clean again, so what it has stays said).
void Watch::note_baselines(const Cycle& c) {
  if (!c.probed) return;
  const std::set<std::string> dirty = hosts_with_findings(c.full, c.changes, c.failed, c.problems);
  for (const auto& host : c.full) {
    auto fp = c.fingerprints.find(host);
    if (dirty.count(host) || pool_.lost(host) || fp == c.fingerprints.end() || !fp->second) baselines_.erase(host);
    else baselines_[host] = Baseline{*fp->second, c.probed_at};
  }
}

void Watch::note_hosts(Cycle& c) {
  const auto now = Steady::now();
  const double stamp = unix_now();
  std::map<std::string, int> drifted;
  for (const auto& [host, task] : c.changes) ++drifted[host];
  for (const auto& host : fleet_->hosts) {
    HostWatch& w = hosts_[host];
    auto why = pool_.lost(host);
    if (!why && !pool_.connected(host)) continue;  // not contacted in this cycle
    w.up = !why;
    auto lost = lost_.find(host);
    if (w.up) {
      w.last_check = stamp;
      w.drifted = drifted[host];
      if (lost != lost_.end()) {
        say_("back: " + host + ": reachable again (lost for " +
             duration_text(std::chrono::duration_cast<std::chrono::milliseconds>(now - lost->second.since)) + ")");
        lost_.erase(lost);
      }
      continue;
    }
    baselines_.erase(host);
    if (lost == lost_.end()) {
      const auto first = std::max(settings_.every, std::chrono::milliseconds(1000));
      lost_[host] = Lost{now, now + first, first};
      say_("lost: " + host + ": " + why->message() + " (tried again in " + duration_text(first) +
           ", then less and less often up to every " + duration_text(kMaxRetryPause) + "; said once)");
    } else if (lost->second.tried) {  // tried again in this cycle, lost again: wait longer
      lost->second.tried = false;
      lost->second.pause = std::min(lost->second.pause * 2, kMaxRetryPause);
      lost->second.next_try = now + lost->second.pause;
    }
  }
}

void Watch::say_findings(Cycle& c) {
  std::set<std::string> now;
  for (const auto& [host, task] : c.changes) now.insert("drift: " + host + ": " + task);
  for (const auto& [host, what] : c.failed)
    if (!pool_.lost(host)) now.insert("failed: " + host + ": " + what);
  for (const auto& p : c.problems) now.insert("problem: " + p);
  // What an unreachable host was found to have stays known until it is back.
  for (const auto& line : findings_)
    for (const auto& [host, lost] : lost_)
      if (line.find(": " + host + ": ") != std::string::npos) now.insert(line);
  std::vector<std::string> fresh, gone;
  std::set_difference(now.begin(), now.end(), findings_.begin(), findings_.end(), std::back_inserter(fresh));
  std::set_difference(findings_.begin(), findings_.end(), now.begin(), now.end(), std::back_inserter(gone));
  for (const auto& line : fresh) say_(line);
  for (const auto& line : gone) say_("resolved: " + line);
  findings_ = std::move(now);
  c.said = static_cast<int>(fresh.size() + gone.size());
}

void Watch::write_run_folder(Cycle& c, const std::string& what) {
  if (settings_.runs_dir.empty()) return;
  auto folder = report::RunFolder::create(settings_.runs_dir, what, settings_.argv);
  if (!folder) {
    say_("warning: " + folder.error().message());
    return;
  }
  report::RunRecord record;
  record.info.command = "watch";
  record.info.inventory = fleet_->run_options.inventory_file;
  record.info.check = c.check;
  record.info.argv = settings_.argv;
  record.info.run_dir = (*folder)->path();
  record.hosts = fleet_->hosts;
  record.start = c.start;
  auto recorder = report::make_run_recorder(record);
  report::FanoutReporter fan;
  fan.add(*recorder);
  fan.add(**folder);
  c.events.replay(fan);
  record.end = c.end;
  record.exit_code = c.code;
  (*folder)->finish(report::json_report(record), settings_.keep_runs);
  c.folder = (*folder)->path();
}

ssh::Task<void> Watch::fix(Cycle& c) {
  fix_trouble_now_.clear();
  std::vector<std::string> due;
  for (const auto& h : fleet_->hosts)
    if (c.fixable.count(h) && !pool_.lost(h) && !c.failed.count(h)) due.push_back(h);
  const size_t at_once = static_cast<size_t>(std::max(1, settings_.max_fix));
  for (size_t from = 0; from < due.size() && !stopped_; from += at_once) {
    std::vector<std::string> batch(due.begin() + static_cast<long>(from),
                                   due.begin() + static_cast<long>(std::min(due.size(), from + at_once)));
    Cycle f;
    f.number = c.number;
    f.check = false;
    f.start = report::Clock::now();
    co_await run_engine(f, batch);
    // What became of each host; a fix that failed again the same way, with
    // nothing changed, is neither said nor recorded again.
    std::vector<std::pair<std::string, bool>> said;  // (line, trouble)
    bool news = !f.changes.empty();
    std::string held;
    if (f.code == orchestrator::kClusterLocked) {
      held = "another run holds the cluster's run lock";
      for (const auto& m : f.messages)
        if (m.find("run lock") != std::string::npos) held = m.rfind("fleetk8s: ", 0) == 0 ? m.substr(10) : m;
      news = news || held != postponed_;
    }
    for (const auto& h : batch) {
      if (!held.empty()) break;
      std::vector<std::string> tasks;
      for (const auto& [host, task] : f.changes)
        if (host == h) tasks.push_back(task);
      std::string trouble;
      if (f.failed.count(h)) trouble = "fix failed: " + h + ": " + f.failed[h];
      else if (pool_.lost(h)) trouble = "fix failed: " + h + ": " + pool_.lost(h)->message();
      else if (tasks.empty() && f.code != orchestrator::kClusterOk)
        trouble = "fix not done: " + h + ": " + (f.messages.empty() ? "exit " + std::to_string(f.code) : f.messages.back());
      if (!trouble.empty()) {
        said.emplace_back(trouble, true);
        news = news || !fix_trouble_.count(trouble);
        fix_trouble_now_.insert(trouble);
      } else if (!tasks.empty()) {
        ++hosts_[h].fixes;
        said.emplace_back("fixed: " + h + ": " + std::to_string(tasks.size()) + " task(s) changed: " + join(tasks, ", "), false);
      }
    }
    if (news) write_run_folder(f, "watch-" + std::to_string(c.number) + "-fix" + std::to_string(from / at_once + 1));
    if (!held.empty()) {
      if (held != postponed_) say_("fix postponed to the next cycle: " + held + " (said once)");
      postponed_ = held;
      co_return;
    }
    postponed_.clear();
    for (const auto& [line, trouble] : said)
      if (!trouble) say_(line);
      else if (!fix_trouble_.count(line)) say_(line + (f.folder.empty() ? "" : " (run folder " + f.folder + ")"));
  }
  fix_trouble_ = std::move(fix_trouble_now_);
}

// "cycle 5: 50 of 50 hosts checked in 0.91 s (controller CPU 0.20 s): 1 task(s) would change on 1 host(s); run folder ..."
void Watch::say_summary(const Cycle& c, double cpu) {
  int up = 0, drifted_hosts = 0;
  for (const auto& h : fleet_->hosts) {
    up += hosts_[h].up ? 1 : 0;
    drifted_hosts += hosts_[h].up && hosts_[h].drifted > 0 ? 1 : 0;
  }
  std::string verdict = c.changes.empty() ? (c.failed.empty() && c.problems.empty() ? "converged" : "nothing would change")
                                          : std::to_string(c.changes.size()) + " task(s) would change on " +
                                                std::to_string(drifted_hosts) + " host(s)";
  if (!c.problems.empty()) verdict += ", " + std::to_string(c.problems.size()) + " problem(s)";
  if (!c.failed.empty()) verdict += ", " + std::to_string(c.failed.size()) + " host(s) failed";
  const size_t unchanged = c.probed ? fleet_->hosts.size() - c.full.size() : 0;
  say_("cycle " + std::to_string(c.number) + ": " + std::to_string(up) + " of " +
       std::to_string(fleet_->hosts.size()) + " hosts checked in " + seconds_text(last_cycle_seconds_) +
       " (controller CPU " + seconds_text(cpu) +
       (unchanged ? "; " + std::to_string(unchanged) + " unchanged since their last full check" : "") +
       "): " + verdict + (c.folder.empty() ? "" : "; run folder " + c.folder));
}

ssh::Task<void> Watch::pause() {  // REQUIRES: timer_ (run() makes it)
  boost::system::error_code ec;
  co_await timer_->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
}

ssh::Task<int> Watch::run() {
  if (!timer_) timer_ = std::make_unique<Timer>(co_await boost::asio::this_coro::executor);
  while (!stopped_) {
    const auto started = Steady::now();
    co_await reload_if_changed();
    co_await revive_due();
    if (stopped_) break;
    Cycle c;
    c.number = ++cycle_;
    c.start = report::Clock::now();
    const double cpu_before = cpu_seconds();
    const size_t lost_before = lost_.size();
    co_await run_engine(c, fleet_->hosts);
    last_cycle_seconds_ = std::chrono::duration<double>(Steady::now() - started).count();
    const double cpu = cpu_seconds() - cpu_before;
    if (stopped_) break;  // an interrupted cycle found nothing to trust
    note_hosts(c);
    note_baselines(c);
    say_findings(c);
    const bool news = c.said > 0 || lost_.size() != lost_before || c.number == 1;
    if (news) write_run_folder(c, "watch-" + std::to_string(c.number));
    if (news || settings_.verbosity >= 1) say_summary(c, cpu);
    if (settings_.fix && !c.fixable.empty()) co_await fix(c);
    if (stopped_ || reload_asked_) continue;
    timer_->timer.expires_at(started + settings_.every);
    co_await pause();
  }
  co_await pool_.close();
  co_return 0;
}

std::string prometheus_text(const std::map<std::string, HostWatch>& hosts, double cycle_seconds, int cycles) {
  auto label = [](const std::string& host) {
    std::string out;
    for (char ch : host) {
      if (ch == '\\' || ch == '"') out += '\\';
      if (ch == '\n') {
        out += "\\n";
        continue;
      }
      out += ch;
    }
    return "{host=\"" + out + "\"}";
  };
  auto number = [](double v) {  // shortest digits, as Go's client writes them
    char buf[40];
    auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    return std::string(buf, end);
  };
  std::string out;
  auto family = [&](const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };
  family("fleetk8s_host_up", "gauge", "1 when the host was reached in the last cycle, else 0.");
  for (const auto& [h, w] : hosts) out += "fleetk8s_host_up" + label(h) + " " + (w.up ? "1" : "0") + "\n";
  family("fleetk8s_host_drifted_tasks", "gauge", "Tasks that would change on the host (the last cycle that reached it).");
  for (const auto& [h, w] : hosts) out += "fleetk8s_host_drifted_tasks" + label(h) + " " + std::to_string(w.drifted) + "\n";
  family("fleetk8s_host_last_check_timestamp_seconds", "gauge",
         "Unix time of the last cycle that reached the host (0: never).");
  for (const auto& [h, w] : hosts)
    out += "fleetk8s_host_last_check_timestamp_seconds" + label(h) + " " + number(w.last_check) + "\n";
  family("fleetk8s_fixes_total", "counter", "Fix runs that changed the host since the watch started.");
  for (const auto& [h, w] : hosts) out += "fleetk8s_fixes_total" + label(h) + " " + std::to_string(w.fixes) + "\n";
  family("fleetk8s_cycle_duration_seconds", "gauge", "Wall time of the last check cycle.");
  out += "fleetk8s_cycle_duration_seconds " + number(cycle_seconds) + "\n";
  family("fleetk8s_cycles_total", "counter", "Check cycles since the watch started.");
  out += "fleetk8s_cycles_total " + std::to_string(cycles) + "\n";
  return out;
}

}  // namespace fleetk8s::cluster

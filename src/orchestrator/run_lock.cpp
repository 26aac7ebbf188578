#include "fleetk8s/orchestrator/run_lock.h"

#include "fleetk8s/core/duration.h"

#include <climits>
#include <cstring>
#include <cstdlib>
#include <ctime>
#include <pwd.h>
#include <sstream>
#include <unistd.h>

namespace fleetk8s::orchestrator {

namespace {

using namespace std::chrono_literals;

constexpr const char* kDir = "/var/lib/fleetk8s";
// The script's answers, each on a line of its own.
const std::string kBusy = "FLEETK8S-LOCK-BUSY\n";
const std::string kLocked = "FLEETK8S-LOCK-LOCKED\n";
const std::string kEnd = "FLEETK8S-LOCK-END\n";
const std::string kReady = "FLEETK8S-LOCK-READY\n";
const std::string kReleased = "FLEETK8S-LOCK-RELEASED\n";
const std::string kGaveUp = "FLEETK8S-LOCK-GAVEUP\n";

// Shell: prints marker `m` (which ends with a newline).
std::string say(const std::string& m) { return "printf '%s\\n' " + m.substr(0, m.size() - 1); }

std::string local_user() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "unknown";
}

std::string local_host() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The text between `marker` and the end marker after it, or nullopt when
// the block is not all there yet. With `consume`, the block and everything
// before it leave `out`; what follows stays (the next answer may already be
// there: under load LOCKED, its END and READY arrive in one read).
std::optional<std::string> block_after(std::string& out, const std::string& marker, bool consume = false) {
  const auto start = out.find(marker);
  if (start == std::string::npos) return std::nullopt;
  const auto body = start + marker.size();
  const auto end = out.find(kEnd, body);
  if (end == std::string::npos) return std::nullopt;
  std::string text = out.substr(body, end - body);
  if (consume) out.erase(0, end + kEnd.size());
  return text;
}

std::optional<LockHolder> holder_in(const std::string& text) {
  if (text.find_first_not_of(" \t\n") == std::string::npos) return std::nullopt;
  return parse_lock_holder(text);
}

// The reason a lock script that ended early gave, from its output.
std::string early_end_reason(ssh::Stream& s, const Error& e) {
  for (const std::string* text : {&s.out(), &s.err()}) {
    const auto at = text->find("NOLOCK ");
    if (at != std::string::npos) return text->substr(at + 7, text->find('\n', at) - at - 7);
  }
  return e.message();
}

// Why an answer did not come: a timeout names the knob that lengthens it.
// What the lock script had said when the wait ended: where it stood.
std::string received(ssh::Stream& s) {
  auto shown = [](const std::string& text) {
    std::string t = text.substr(0, 160);
    for (char& c : t)
      if (c == '\n') c = '|';
    return "\"" + t + (text.size() > 160 ? "...\"" : "\"");
  };
  return "; received " + std::to_string(s.out().size()) + " bytes of output " + shown(s.out()) + " and " +
         std::to_string(s.err().size()) + " of errors " + shown(s.err());
}

std::string why_no_answer(ssh::Stream& s, const Error& e, std::chrono::seconds waited, std::chrono::seconds wait) {
  if (e.kind() != ErrorKind::kCommandTimeout) return early_end_reason(s, e);
  const std::string answer = std::to_string((waited - wait).count()) + " s";
  if (wait.count() > 0)
    return "no answer within --wait-lock " + std::to_string(wait.count()) + " s + " + answer +
           " (the host is slow: raise --wait-lock, or FLEETK8S_LOCK_TIMEOUT=5m for the answer)";
  return "no answer within " + answer + " (sudo, then flock on " + std::string(kDir) +
         "/run.lock; the host is slow: raise it with FLEETK8S_LOCK_TIMEOUT=5m)" + received(s);
}

}  // namespace

Result<std::chrono::seconds> lock_answer_timeout() {
  const char* env = std::getenv("FLEETK8S_LOCK_TIMEOUT");
  if (!env || !*env) return std::chrono::seconds(60);
  auto d = parse_duration(env);
  if (!d) return d.error().context("FLEETK8S_LOCK_TIMEOUT");
  if (d->count() <= 0)
    return Error(ErrorKind::kInvalidInput, std::string("FLEETK8S_LOCK_TIMEOUT: expected a duration above 0, got \"") +
                                               env + "\"");
  return *d;
}

LockHolder LockHolder::me(const std::string& command) {
  LockHolder h;
  h.user = local_user();
  h.host = local_host();
  h.pid = static_cast<long>(::getpid());
  h.command = command;
  h.started = utc_now();
  return h;
}

std::string LockHolder::describe() const {
  std::string s = (user.empty() ? "?" : user) + "@" + (host.empty() ? "?" : host);
  s += " (pid " + std::to_string(pid);
  if (!command.empty()) s += ", fleetk8s " + command;
  if (!started.empty()) s += ", since " + started;
  return s + ")";
}

LockHolder parse_lock_holder(const std::string& text) {
  LockHolder h;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "user") h.user = value;
    else if (key == "host") h.host = value;
    else if (key == "pid") h.pid = std::strtol(value.c_str(), nullptr, 10);
    else if (key == "command") h.command = value;
    else if (key == "started") h.started = value;
    else if (key == "remote_pid") h.remote_pid = value;
  }
  return h;
}

std::string run_lock_script(const LockHolder& me, std::chrono::seconds wait) {
  using ssh::shell_quote;
  const std::string w = std::to_string(wait.count());
  const std::string holder = "cat \"$d/run.lock.holder\" 2>/dev/null; echo; ";
  std::string s;
  s += "d=" + std::string(kDir) + "\n";
  s += "command -v flock >/dev/null 2>&1 || { echo 'NOLOCK flock(1) is missing on this host (util-linux)'; exit 3; }\n";
  s += "mkdir -p \"$d\" 2>/dev/null; exec 9>>\"$d/run.lock\" || { echo \"NOLOCK cannot open $d/run.lock (not root?)\"; exit 3; }\n";
  s += "if ! flock -n 9; then\n";
  // The holder writes its file right after taking the lock: give it a moment.
  s += "  i=0; while [ ! -s \"$d/run.lock.holder\" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done\n";
  s += "  " + say(kBusy) + "; " + holder + say(kEnd) + "\n";
  s += "  if [ " + w + " -le 0 ] || ! flock -w " + w + " 9; then " + say(kGaveUp) + "; exit 1; fi\n";
  s += "fi\n";
  s += say(kLocked) + "; " + holder + say(kEnd) + "\n";
  s += "{ printf '%s\\n' " + shell_quote("user=" + me.user) + " " + shell_quote("host=" + me.host) + " " +
       shell_quote("pid=" + std::to_string(me.pid)) + " " + shell_quote("command=" + me.command) + " " +
       shell_quote("started=" + me.started) + "; echo \"remote_pid=$$\"; } >\"$d/run.lock.holder.new\" && " +
       "mv -f \"$d/run.lock.holder.new\" \"$d/run.lock.holder\" || exit 3\n";
  s += say(kReady) + "\n";
  s += "IFS= read -r line || line=\n";
  s += "if [ \"$line\" = release ]; then rm -f \"$d/run.lock.holder\"; " + say(kReleased) + "; fi\n";
  return s;
}

RunLock::RunLock(std::unique_ptr<ssh::Stream> stream) : stream_(std::move(stream)) {}

RunLock::~RunLock() = default;

ssh::Task<Result<RunLock::Outcome>> RunLock::acquire(ssh::Connection& conn, ssh::BecomeOptions become, LockHolder me,
                                                     std::chrono::seconds wait,
                                                     std::function<void(const LockHolder&)> on_wait) {
  become.enabled = true;
  become.user = "root";
  auto opened = co_await conn.open_stream("/bin/sh -c " + ssh::shell_quote(run_lock_script(me, wait)), become);
  if (!opened) co_return opened.error().context("cannot take the run lock");
  std::unique_ptr<ssh::Stream> s = std::move(*opened);
  Outcome outcome;

  const std::chrono::seconds answer = lock_answer_timeout().value_or(60s);
  // First answer: LOCKED ... END, or BUSY ... END (then LOCKED or GAVEUP later).
  auto first = co_await s->read_until(kEnd, answer);
  if (!first) {
    const std::string why = why_no_answer(*s, first.error(), answer, 0s);
    (void)co_await s->close();
    co_return Error(first.error().kind(), "cannot take the run lock: " + why);
  }
  if (auto busy = block_after(s->out(), kBusy)) {
    const LockHolder holder = holder_in(*busy).value_or(LockHolder{});
    if (wait.count() <= 0) {
      (void)co_await s->close();
      outcome.held_by = holder;
      co_return outcome;
    }
    if (on_wait) on_wait(holder);
    s->out().erase(0, *first);
    auto second = co_await s->read_until(kEnd, wait + answer);
    if (!second) {
      const bool gave_up = s->out().find(kGaveUp) != std::string::npos;
      (void)co_await s->close();
      if (gave_up) {
        outcome.held_by = holder;
        co_return outcome;
      }
      co_return Error(second.error().kind(),
                      "cannot take the run lock: " + why_no_answer(*s, second.error(), wait + answer, wait));
    }
  }
  auto locked = block_after(s->out(), kLocked, true);
  if (!locked) {
    (void)co_await s->close();
    co_return Error(ErrorKind::kProtocol, "cannot take the run lock: unexpected answer from the lock script");
  }
  outcome.stale = holder_in(*locked);
  if (auto ready = co_await s->read_until(kReady, answer); !ready) {
    const std::string why = why_no_answer(*s, ready.error(), answer, 0s);
    (void)co_await s->close();
    co_return Error(ready.error().kind(), "cannot take the run lock: " + why);
  }
  outcome.lock.reset(new RunLock(std::move(s)));
  co_return outcome;
}

ssh::Task<Result<void>> RunLock::release() {
  if (!stream_) co_return Result<void>{};
  auto s = std::move(stream_);
  auto w = co_await s->write("release\n");
  std::optional<Error> failed;
  if (!w) {
    failed = w.error();
  } else if (auto done = co_await s->read_until(kReleased, 30s); !done) {
    failed = done.error();
  }
  (void)co_await s->close();
  if (failed) co_return failed->context("could not release the run lock");
  co_return Result<void>{};
}

}  // namespace fleetk8s::orchestrator

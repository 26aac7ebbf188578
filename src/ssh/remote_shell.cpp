#include "fleetk8s/ssh/remote_shell.h"

#include <cstdio>

#include "fleetk8s/core/random.h"
#include "fleetk8s/ssh/remote_command.h"

namespace fleetk8s::ssh {

namespace {

// Defines the framing helper and the private temporary directory, then
// says it is ready. Runs once per shell.
std::string prelude(const std::string& token) {
  return "export LC_ALL=C\n"
         "FKD=$(mktemp -d \"${TMPDIR:-/tmp}/.fleetk8s.XXXXXX\") || exit 97\n"
         "trap 'rm -rf \"$FKD\"' EXIT\n"
         "trap 'exit 129' HUP INT TERM\n"
         "fk_emit() {\n"
         "  printf 'FKO %s\\n' \"$1\"; [ -s \"$FKD/o\" ] && cat \"$FKD/o\"\n"
         "  printf '\\nFKE %s\\n' \"$1\"; [ -s \"$FKD/e\" ] && cat \"$FKD/e\"\n"
         "  printf '\\nFKX %s %sX\\n' \"$2\" \"$1\"\n"
         "}\n"
         "printf '%s FKREADY %s\\n' \"$$\" " + token + "\n";
}

// 128 random bits per script: a script's output cannot forge the frame
// of its own answer or predict another's.
std::string new_token() { return "fk" + random_hex(16); }

std::string seconds_arg(std::chrono::milliseconds t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(t.count()) / 1000.0);
  return buf;
}

}  // namespace

std::string remote_shell_request(const std::string& script, const std::string& token,
                                 std::chrono::milliseconds timeout) {
  // The script travels as one single-quoted word, which the shell reads
  // without starting a process; `eval` in a subshell keeps even a syntax
  // error in it from reaching the long-lived shell. Under `timeout` it is
  // passed in the environment of that one command (never exported in the
  // long-lived shell) and unset before it runs, so the commands it starts
  // never see it (it may hold a module's verdict token).
  std::string run = timeout.count() > 0 ? "fk_s=$fk_s timeout -k 2 " + seconds_arg(timeout) +
                                              " sh -c 'fk_t=$fk_s; unset fk_s; eval \"$fk_t\"'"
                                        : "( eval \"$fk_s\" )";
  return "fk_s=" + shell_quote(script) + "\n" + run + " >\"$FKD/o\" 2>\"$FKD/e\" </dev/null\nfk_emit " + token +
         " $?\n";
}

Result<std::pair<CommandResult, std::size_t>> parse_remote_shell_answer(const std::string& out,
                                                                         const std::string& token) {
  const std::string head = "FKO " + token + "\n";
  const std::string mid = "\nFKE " + token + "\n";
  const std::string tail_end = " " + token + "X\n";
  const auto bad = [&](const char* what) {
    return Error(ErrorKind::kProtocol, std::string("garbled answer from the remote shell: ") + what);
  };
  const std::size_t h = out.find(head);
  if (h == std::string::npos) return bad("no start marker");
  const std::size_t m = out.find(mid, h + head.size());
  if (m == std::string::npos) return bad("no stderr marker");
  const std::size_t e = out.find(tail_end, m + mid.size());
  if (e == std::string::npos) return bad("no end marker");
  const std::size_t x = out.rfind("\nFKX ", e);
  if (x == std::string::npos || x < m + mid.size()) return bad("no exit status");
  CommandResult r;
  r.out = out.substr(h + head.size(), m - (h + head.size()));
  r.err = out.substr(m + mid.size(), x - (m + mid.size()));
  r.exit_status = std::atoi(out.c_str() + x + 5);
  return std::make_pair(std::move(r), e + tail_end.size());
}

Task<Result<std::unique_ptr<RemoteShell>>> RemoteShell::start(Connection& connection, BecomeOptions become,
                                                              std::chrono::milliseconds timeout,
                                                              std::chrono::milliseconds watchdog) {
  const bool with_password = become.enabled && become.password.has_value();
  auto stream = co_await connection.open_stream("/bin/sh -s", become);
  if (!stream) co_return stream.error();
  const std::string token = new_token();
  std::unique_ptr<RemoteShell> shell(new RemoteShell(std::move(*stream), connection, become, watchdog));
  if (auto w = co_await shell->stream_->write(prelude(token)); !w) co_return w.error();
  auto ready = co_await shell->stream_->read_until("FKREADY " + token + "\n", timeout);
  if (!ready) {
    std::string err = shell->stream_->err();
    if (with_password || err.find("sudo") != std::string::npos) {
      CommandResult as_result;
      as_result.err = err;
      as_result.exit_status = 1;
      WrappedCommand w;
      w.uses_sudo_password = with_password;
      std::string why = clean_sudo_output(as_result, w);
      if (!why.empty()) co_return Error(ErrorKind::kBecome, why);
    }
    co_return ready.error();
  }
  // "PID FKREADY token\n": the pid lets the watchdog look at the shell.
  const std::string& out = shell->stream_->out();
  const std::size_t line = out.rfind('\n', *ready >= 2 ? *ready - 2 : 0);
  const std::size_t from = line == std::string::npos || line + 1 >= *ready ? 0 : line + 1;
  const std::size_t space = out.find(' ', from);
  if (space != std::string::npos && space > from) shell->pid_ = out.substr(from, space - from);
  if (shell->pid_.find_first_not_of("0123456789") != std::string::npos) shell->pid_.clear();
  shell->stream_->out().erase(0, *ready);
  // sudo's prompt went to stderr before the shell started: not ours to report.
  shell->stream_->err().clear();
  co_return shell;
}

Task<Result<CommandResult>> RemoteShell::run(std::string script, std::chrono::milliseconds timeout) {
  if (!usable_) co_return Error(ErrorKind::kConnectionLost, "the remote shell on " + host_ + " is no longer usable");
  const std::string token = new_token();
  auto fail = [&](Error e) {
    usable_ = false;
    return e;
  };
  std::string request = remote_shell_request(script, token, timeout);
  std::string().swap(script);  // the request holds it: no second copy through the wait
  const std::size_t request_bytes = request.size();  // the request itself goes to the channel
  if (auto w = co_await stream_->write(std::move(request)); !w) co_return fail(w.error());
  // The controller waits a little longer than the host-side limit.
  const auto wait = timeout.count() > 0 ? timeout + std::chrono::seconds(5) : std::chrono::milliseconds(0);
  auto end = co_await await_answer(" " + token + "X\n", wait, request_bytes);
  if (!end) co_return fail(end.error());
  auto parsed = parse_remote_shell_answer(stream_->out(), token);
  if (!parsed) co_return fail(parsed.error());
  stream_->out().erase(0, parsed->second);
  // The shell lives as long as the run: keep no answer-sized buffer between scripts.
  if (stream_->out().empty()) stream_->out().shrink_to_fit();
  CommandResult result = std::move(parsed->first);
  if (timeout.count() > 0 && (result.exit_status == kTimeoutExit || result.exit_status == 128 + 9)) {
    co_return Error(ErrorKind::kCommandTimeout, "timed out after " + seconds_arg(timeout) + " s");
  }
  co_return result;
}

Task<Result<std::size_t>> RemoteShell::await_answer(const std::string& marker, std::chrono::milliseconds timeout,
                                                     std::size_t request_bytes) {
  using namespace std::chrono;
  const auto started = steady_clock::now();
  const auto give_up = timeout.count() > 0 ? started + timeout : steady_clock::time_point::max();
  int idle_probes = 0;
  for (;;) {
    const auto now = steady_clock::now();
    if (now >= give_up) co_return Error(ErrorKind::kCommandTimeout, "no answer from " + host_ + " in time");
    auto slice = pid_.empty() ? give_up - now : std::min<steady_clock::duration>(watchdog_, give_up - now);
    if (give_up == steady_clock::time_point::max() && pid_.empty()) slice = steady_clock::duration::zero();
    const std::size_t before = stream_->out().size() + stream_->err().size();
    auto end = co_await stream_->read_until(marker, duration_cast<milliseconds>(slice));
    if (end || end.error().kind() != ErrorKind::kCommandTimeout) co_return end;
    if (stream_->out().size() + stream_->err().size() != before) {
      idle_probes = 0;  // output is flowing: the script is alive
      continue;
    }
    auto busy = co_await shell_busy();
    if (!busy) {
      // A host without ps (or a probe that failed) cannot be watched: the
      // task goes on under its own timeout only.
      pid_.clear();
      continue;
    }
    idle_probes = *busy ? 0 : idle_probes + 1;
    if (idle_probes < 2) continue;
    const auto waited = duration_cast<seconds>(steady_clock::now() - started).count();
    co_return Error(ErrorKind::kCommandTimeout,
                    "watchdog: the remote shell on " + host_ + " (pid " + pid_ + ") is idle but the answer to its "
                    "script never came (request of " + std::to_string(request_bytes) + " bytes sent " +
                    std::to_string(waited) + " s ago, " + std::to_string(stream_->out().size()) +
                    " bytes of output received, no process running under the shell); the task fails on this host");
  }
}

Task<Result<bool>> RemoteShell::shell_busy() {
  // Any live process whose parent is the shell: the script's subshell, or
  // the few commands of the framing itself. A zombie does no work (a
  // stopped shell cannot reap its child).
  ExecOptions options;
  options.timeout = std::chrono::seconds(30);
  options.become = become_;
  auto r = co_await connection_.exec("ps -e -o ppid= -o stat=", options);
  if (!r) co_return r.error();
  if (!r->success()) co_return Error(ErrorKind::kProtocol, "ps failed: " + r->err);
  std::size_t pos = 0;
  const std::string& text = r->out;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::size_t a = text.find_first_not_of(' ', pos);
    if (a < end) {
      const std::size_t b = text.find(' ', a);
      const std::size_t state = b < end ? text.find_first_not_of(' ', b) : std::string::npos;
      if (b < end && text.compare(a, b - a, pid_) == 0 && state < end && text[state] != 'Z') co_return true;
    }
    pos = end + 1;
  }
  co_return false;
}

Task<Result<void>> RemoteShell::close() {
  usable_ = false;
  auto r = co_await stream_->close();
  if (!r) co_return r.error();
  co_return Result<void>{};
}

}  // namespace fleetk8s::ssh

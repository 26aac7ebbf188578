// A Transport that needs no network: each host's behaviour is scripted.
// Records connects and commands so tests can assert on them.
#pragma once

#include <utility>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <map>
#include <vector>

#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::testing {

struct FakeHost {
  std::optional<Error> connect_error;        // connect fails with this
  std::vector<Error> first_attempts;         // the first connects fail with these, in order
  // Each connect takes this long (a handshake). Beyond the options'
  // connect_timeout, counted from the call as SshConnection counts it, the
  // connect fails with kTimeout at the timeout.
  std::chrono::milliseconds connect_delay{0};
  std::chrono::milliseconds delay{0};        // each command takes this long
  std::function<Result<CommandResult>(const std::string&)> run;  // default: echo the command
};

class FakeTransport : public ssh::Transport {
 public:
  std::map<std::string, FakeHost> hosts;
  std::vector<std::string> log;   // "connect NAME", "exec NAME CMD", "close NAME"
  int in_flight = 0, max_in_flight = 0;                  // connections open
  int connecting = 0, max_connecting = 0;                // connects under way
  int running = 0, max_running = 0;                      // commands under way (of hosts with a delay)
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> connect_calls;

  ssh::Task<Result<std::unique_ptr<ssh::Connection>>> connect(ssh::ConnectOptions o) override;

  // A command on host h: its delay, counted in running/max_running.
  ssh::Task<void> take_time(const FakeHost& h) {
    if (h.delay.count() == 0) co_return;
    max_running = std::max(max_running, ++running);
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, h.delay);
    co_await timer.async_wait(boost::asio::use_awaitable);
    --running;
  }
};

class FakeConnection : public ssh::Connection {
 public:
  FakeConnection(FakeTransport& t, std::string name) : t_(t), name_(std::move(name)) {}
  ssh::Task<Result<CommandResult>> exec(std::string command, ssh::ExecOptions) override {
    t_.log.push_back("exec " + name_ + " " + command);
    auto& h = t_.hosts[name_];
    co_await t_.take_time(h);
    if (h.run) co_return h.run(command);
    co_return CommandResult{command + "\n", "", 0, "", false, false};
  }
  ssh::Task<Result<void>> upload(std::string, std::string, int, ssh::BecomeOptions) override {
    co_return Result<void>{};
  }
  // "/bin/sh -s" (a RemoteShell) answers each script as the host's `run`
  // says, after its `delay`; any other command has no stream.
  ssh::Task<Result<std::unique_ptr<ssh::Stream>>> open_stream(std::string command, ssh::BecomeOptions) override;
  ssh::Task<void> close() override {
    t_.log.push_back("close " + name_);
    --t_.in_flight;
    co_return;
  }
  const std::string& name() const override { return name_; }

 private:
  FakeTransport& t_;
  std::string name_;
};

// The other end of a RemoteShell (src/ssh/remote_shell.cpp's framing): the
// prelude's ready line, then one framed answer per script, each after the
// host's delay (counted in running/max_running).
class FakeShellStream : public ssh::Stream {
 public:
  FakeShellStream(FakeTransport& t, std::string name) : t_(t), name_(std::move(name)) {}

  ssh::Task<Result<void>> write(std::string data) override {
    static const std::string ready = "FKREADY %s\\n' \"$$\" ";
    if (auto r = data.find(ready); r != std::string::npos) {
      const std::size_t from = r + ready.size();
      out_ += "4242 FKREADY " + data.substr(from, data.find('\n', from) - from) + "\n";
    } else if (auto e = data.rfind("fk_emit "); e != std::string::npos && data.rfind("fk_s=", 0) == 0) {
      const std::size_t from = e + 8;
      scripts_.emplace_back(data.substr(from, data.find(' ', from) - from), unquote(data.substr(5)));
    }
    co_return Result<void>{};
  }

  ssh::Task<Result<std::size_t>> read_until(std::string marker, std::chrono::milliseconds) override {
    while (out_.find(marker) == std::string::npos && !scripts_.empty()) {
      auto [token, script] = std::move(scripts_.front());
      scripts_.erase(scripts_.begin());
      t_.log.push_back("exec " + name_ + " " + script);
      auto& h = t_.hosts[name_];
      co_await t_.take_time(h);
      Result<CommandResult> r = h.run ? h.run(script) : Result<CommandResult>(CommandResult{});
      if (!r) co_return r.error();
      out_ += "FKO " + token + "\n" + r->out + "\nFKE " + token + "\n" + r->err + "\nFKX " +
              std::to_string(r->exit_status) + " " + token + "X\n";
    }
    const std::size_t at = out_.find(marker);
    if (at == std::string::npos) co_return Error(ErrorKind::kConnectionLost, "the fake shell has nothing to say");
    co_return at + marker.size();
  }

  std::string& out() override { return out_; }
  std::string& err() override { return err_; }
  ssh::Task<Result<CommandResult>> close() override { co_return CommandResult{}; }

 private:
  // The script of "fk_s='...'\n...": one word of shell_quote's quoting.
  static std::string unquote(const std::string& s) {
    std::string word;
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\'') quoted = !quoted;
      else if (!quoted && s[i] == '\\' && i + 1 < s.size()) word += s[++i];
      else if (!quoted && s[i] == '\n') break;
      else word += s[i];
    }
    return word;
  }

  FakeTransport& t_;
  std::string name_;
  std::string out_, err_;
  std::vector<std::pair<std::string, std::string>> scripts_;  // token, script
};

inline ssh::Task<Result<std::unique_ptr<ssh::Stream>>> FakeConnection::open_stream(std::string command,
                                                                                   ssh::BecomeOptions) {
  if (command != "/bin/sh -s") co_return Error(ErrorKind::kProtocol, "FakeConnection has no streams");
  co_return std::unique_ptr<ssh::Stream>(new FakeShellStream(t_, name_));
}

inline ssh::Task<Result<std::unique_ptr<ssh::Connection>>> FakeTransport::connect(ssh::ConnectOptions o) {
  log.push_back("connect " + o.name);
  connect_calls.emplace_back(o.name, std::chrono::steady_clock::now());
  auto& h = hosts[o.name];
  const auto attempt = static_cast<std::size_t>(
      std::count_if(connect_calls.begin(), connect_calls.end(), [&](const auto& c) { return c.first == o.name; }));
  max_connecting = std::max(max_connecting, ++connecting);
  const bool times_out = o.connect_timeout.count() > 0 && h.connect_delay > o.connect_timeout;
  if (h.connect_delay.count() > 0) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                    times_out ? o.connect_timeout : h.connect_delay);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
  --connecting;
  if (times_out) co_return Error(ErrorKind::kTimeout, "SSH handshake with " + o.name + " timed out");
  if (attempt <= h.first_attempts.size()) co_return h.first_attempts[attempt - 1];
  if (h.connect_error) co_return *h.connect_error;
  max_in_flight = std::max(max_in_flight, ++in_flight);
  co_return std::unique_ptr<ssh::Connection>(new FakeConnection(*this, o.name));
}

}  // namespace fleetk8s::testing

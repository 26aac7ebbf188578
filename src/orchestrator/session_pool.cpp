#include "fleetk8s/orchestrator/session_pool.h"

#include <map>

#include "fleetk8s/orchestrator/parallel.h"
#include "run_state.h"

namespace fleetk8s::orchestrator {

namespace {

bool same_auth(const ssh::AuthOptions& a, const ssh::AuthOptions& b) {
  return a.use_agent == b.use_agent && a.identity_files == b.identity_files && a.key_passphrase == b.key_passphrase &&
         a.password == b.password;
}

bool same_connect(const ssh::ConnectOptions& a, const ssh::ConnectOptions& b) {
  if (a.name != b.name || a.address != b.address || a.port != b.port || a.user != b.user ||
      !same_auth(a.auth, b.auth) || a.known_hosts_file != b.known_hosts_file ||
      a.host_key_alias != b.host_key_alias || a.host_key_policy != b.host_key_policy ||
      a.connect_timeout != b.connect_timeout || a.auth_timeout != b.auth_timeout ||
      a.keepalive_interval != b.keepalive_interval || a.jump_hosts.size() != b.jump_hosts.size())
    return false;
  for (size_t i = 0; i < a.jump_hosts.size(); ++i)
    if (!same_connect(a.jump_hosts[i], b.jump_hosts[i])) return false;
  return true;
}

// Closes `sessions`, many at once (a polite close waits for the host).
ssh::Task<void> close_all(std::vector<std::shared_ptr<HostSession>> sessions) {
  co_await parallel_for(sessions.size(), 64, [&](size_t i) -> ssh::Task<void> { co_await sessions[i]->close(); });
}

}  // namespace

bool same_login(const ExecTarget& a, const ExecTarget& b) {
  return same_connect(a.connect, b.connect) && a.become.enabled == b.become.enabled &&
         a.become.user == b.become.user && a.become.password == b.become.password;
}

SessionPool::SessionPool(ssh::Transport& transport, ConnectPacing pacing)
    : transport_(transport), pacer_(transport, pacing, log_retries()) {}

SessionPool::~SessionPool() = default;

std::shared_ptr<HostSession> SessionPool::session_for(const ExecTarget& target) {
  auto& kept = sessions_[target.connect.name];
  if (kept && same_login(kept->target(), target)) return kept;
  if (kept) replaced_.push_back(std::move(kept));
  kept = std::make_shared<HostSession>(pacer_, target);
  return kept;
}

std::optional<Error> SessionPool::lost(const std::string& host) const {
  auto it = sessions_.find(host);
  return it == sessions_.end() ? std::nullopt : it->second->lost();
}

bool SessionPool::connected(const std::string& host) const {
  auto it = sessions_.find(host);
  return it != sessions_.end() && it->second->connected();
}

ssh::Task<void> SessionPool::revive(const std::string& host) {
  auto it = sessions_.find(host);
  if (it == sessions_.end()) co_return;
  auto session = it->second;  // (kept alive across the await)
  co_await session->revive();
}

ssh::Task<void> SessionPool::retain(const std::vector<ExecTarget>& targets) {
  std::vector<std::shared_ptr<HostSession>> closing = std::move(replaced_);
  replaced_.clear();
  std::map<std::string, const ExecTarget*> by_name;
  for (const auto& t : targets) by_name[t.connect.name] = &t;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto t = by_name.find(it->first);
    if (t != by_name.end() && same_login(it->second->target(), *t->second)) {
      ++it;
      continue;
    }
    closing.push_back(std::move(it->second));
    it = sessions_.erase(it);
  }
  co_await close_all(std::move(closing));
}

ssh::Task<void> SessionPool::close() {
  std::vector<std::shared_ptr<HostSession>> all = std::move(replaced_);
  replaced_.clear();
  for (auto& [host, s] : sessions_) all.push_back(s);
  sessions_.clear();
  co_await close_all(std::move(all));
}

}  // namespace fleetk8s::orchestrator

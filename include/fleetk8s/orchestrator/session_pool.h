// Sessions kept from one playbook engine to the next.
//
// `fleetk8s watch` checks the fleet every few seconds: each cycle is a new
// PlaybookEngine (fresh facts, registered variables and counts) over the
// same SSH connections and remote shells, so a cycle pays no handshake. The
// pool owns each host's session (its connection and one remote shell per
// become user) and the ConnectPacer every (re)connection goes through; an
// engine built with a pool borrows the sessions and leaves them open when it
// closes.
//
// A host whose connection was lost stays lost (every use fails at once with
// the error that lost it) until revive() is called: the caller decides when
// to try again (watch: with a growing pause).
//
// Use from the transport's executor only; not thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/orchestrator/connect_pacer.h"
#include "fleetk8s/orchestrator/exec_runner.h"
#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::orchestrator {

class HostSession;

class SessionPool {
 public:
  // `transport` is borrowed and must outlive the pool.
  SessionPool(ssh::Transport& transport, ConnectPacing pacing);
  ~SessionPool();
  SessionPool(const SessionPool&) = delete;
  SessionPool& operator=(const SessionPool&) = delete;

  // The session of `target`'s host: the kept one when it was made for the
  // same login (address, port, user, keys, host-key settings, jump hosts,
  // become), else a new one that connects on first use (one made for an
  // older login is closed at the next retain()).
  std::shared_ptr<HostSession> session_for(const ExecTarget& target);

  // The error that lost `host` (it was unreachable or its session died),
  // or nullopt: connected, or not tried yet.
  std::optional<Error> lost(const std::string& host) const;

  // True when `host` has an open connection.
  bool connected(const std::string& host) const;

  // Forgets why `host` was lost and closes what is left of its session:
  // its next use connects again.
  ssh::Task<void> revive(const std::string& host);

  // Closes and forgets every session that is not of one of `targets`
  // (hosts gone from the inventory, logins changed).
  ssh::Task<void> retain(const std::vector<ExecTarget>& targets);

  // Closes every session politely.
  ssh::Task<void> close();

  ssh::Transport& transport() const { return transport_; }

 private:
  ssh::Transport& transport_;
  ConnectPacer pacer_;
  std::map<std::string, std::shared_ptr<HostSession>> sessions_;
  std::vector<std::shared_ptr<HostSession>> replaced_;  // closed at the next retain()
};

// True when `a` and `b` log in the same way (everything a connection or a
// become depends on).
bool same_login(const ExecTarget& a, const ExecTarget& b);

}  // namespace fleetk8s::orchestrator

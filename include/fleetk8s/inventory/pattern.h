// Ansible host patterns, as used by --limit and a play's `hosts:`:
//   web1            a host, or a group (all its hosts)
//   all, *          every host
//   web:db, web,db  union
//   web:&prod       intersection
//   web:!web3       exclusion
//   web*            shell-style wildcard over group and host names
//   ~web\d+         regular expression (matched from the start)
//   web[0], web[1:3], web[-1], web[2:]   subscripts of a group's hosts
// Evaluated by Inventory::select().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::inventory {

// One comma- or colon-separated part of a pattern.
struct PatternTerm {
  enum class Op { kUnion, kIntersect, kExclude };
  struct Subscript {
    int start = 0;
    std::optional<int> end;  // nullopt: the single host at `start`; -1: to the end
  };

  Op op = Op::kUnion;
  std::string text;                    // the part as written, e.g. "!web[0]"
  std::string expr;                    // without the &/! prefix and subscript
  std::optional<Subscript> subscript;  // never set for ~regex terms
};

// Splits a pattern the way Ansible does: by commas when there are any,
// otherwise by colons unless the whole pattern is one host address (an IPv6
// address or host:port). Errors (kInvalidInput) for empty patterns.
Result<std::vector<PatternTerm>> parse_host_pattern(std::string_view pattern);

class Inventory;

// The hosts of a --limit, as ansible-playbook reads it: a host pattern
// whose @FILE parts stand for the patterns on the file's lines (a retry
// file). Stricter than Ansible, which warns and goes on: a part that names
// no host or group, or whose subscript selects nothing, is an error
// (kInvalidInput) naming it, for `!` and `&` parts too (a typo in
// `all:!db1` would otherwise run on db1). A group without hosts is no error.
Result<std::vector<std::string>> select_limit(const Inventory& inv, std::string_view limit);

}  // namespace fleetk8s::inventory

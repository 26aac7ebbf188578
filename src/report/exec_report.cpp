#include "fleetk8s/report/exec_report.h"

#include <cstdio>
#include <sstream>

#include "fleetk8s/report/playbook_report.h"
#include "fleetk8s/report/secrets.h"

namespace fleetk8s::report {

const char* to_string(HostStatus status) {
  switch (status) {
    case HostStatus::kOk: return "ok";
    case HostStatus::kFailed: return "failed";
    case HostStatus::kUnreachable: return "unreachable";
  }
  return "failed";
}

namespace {

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fs", s);
  return buf;
}

void prefixed_lines(std::string& out, const std::string& host, const char* mark, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out += host + ' ' + mark + ' ' + line + '\n';
  }
}

std::string reason(const HostOutcome& o) {
  if (o.error) return mask_secrets(o.error->message());
  if (o.result) return o.result->describe_exit();
  return "";
}

}  // namespace

std::string format_host_block(const HostOutcome& o) {
  std::string out = o.host + " | " + to_string(o.status);
  if (o.result) {
    out += o.result->exit_signal.empty() ? " | rc=" + std::to_string(o.result->exit_status)
                                         : " | signal=" + o.result->exit_signal;
  }
  out += " | " + seconds_text(o.seconds);
  if (o.connect_retries > 0)
    out += " | " + std::to_string(o.connect_retries) + (o.connect_retries == 1 ? " connect retry" : " connect retries");
  if (o.error) out += " | " + mask_secrets(o.error->message());
  out += '\n';
  if (o.result) {
    // Masked whole, before the host prefixes split a key from its label.
    prefixed_lines(out, o.host, "|", mask_secrets(o.result->out));
    if (o.result->out_truncated) out += o.host + " | [stdout truncated]\n";
    prefixed_lines(out, o.host, "!", mask_secrets(o.result->err));
    if (o.result->err_truncated) out += o.host + " ! [stderr truncated]\n";
  }
  return out;
}

std::string format_summary(const std::vector<HostOutcome>& outcomes, double seconds) {
  std::string out;
  for (HostStatus status : {HostStatus::kOk, HostStatus::kFailed, HostStatus::kUnreachable}) {
    std::vector<const HostOutcome*> hosts;
    for (const auto& o : outcomes) {
      if (o.status == status) hosts.push_back(&o);
    }
    if (hosts.empty()) continue;
    out += std::string(to_string(status)) + ": " + std::to_string(hosts.size()) +
           (hosts.size() == 1 ? " host" : " hosts");
    if (status != HostStatus::kOk) {
      out += ":";
      for (const auto* o : hosts) out += "\n  " + o->host + ": " + reason(*o);
    }
    out += '\n';
  }
  std::vector<std::pair<std::string, int>> retries;
  for (const auto& o : outcomes) retries.emplace_back(o.host, o.connect_retries);
  if (const std::string line = format_connect_retries(retries); !line.empty()) out += line + '\n';
  out += "total: " + std::to_string(outcomes.size()) + (outcomes.size() == 1 ? " host" : " hosts") + " in " +
         seconds_text(seconds) + '\n';
  return out;
}

int exit_code(const std::vector<HostOutcome>& outcomes) {
  int code = kExitOk;
  for (const auto& o : outcomes) {
    if (o.status == HostStatus::kFailed) code |= kExitHostFailed;
    if (o.status == HostStatus::kUnreachable) code |= kExitHostUnreachable;
  }
  return code;
}

}  // namespace fleetk8s::report

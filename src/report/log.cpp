#include "fleetk8s/report/log.h"

#include <cstdio>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "fleetk8s/report/secrets.h"

namespace fleetk8s::report {

namespace {

spdlog::logger& logger() {
  static auto instance = [] {
    auto l = spdlog::stderr_color_st("fleetk8s");
    l->set_pattern("%^[%l]%$ %v");
    l->set_level(spdlog::level::warn);
    return l;
  }();
  return *instance;
}

}  // namespace

void set_verbosity(int level) {
  logger().set_level(level >= 2 ? spdlog::level::debug : level == 1 ? spdlog::level::info : spdlog::level::warn);
}

void log_debug(const std::string& message) { logger().debug(mask_secrets(message)); }
void log_info(const std::string& message) { logger().info(mask_secrets(message)); }
void log_warn(const std::string& message) { logger().warn(mask_secrets(message)); }

void print_error(const std::string& message) {
  std::fputs(("fleetk8s: " + mask_secrets(message) + "\n").c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace fleetk8s::report

#include "fleetk8s/report/progress_reporter.h"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <sys/ioctl.h>
#include <thread>
#include <vector>
#include <unistd.h>

#include "fleetk8s/report/secrets.h"

namespace fleetk8s::report {

namespace {

size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The first `n` characters of `s`.
std::string utf8_prefix(const std::string& s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) return s.substr(0, i);
  }
  return s;
}

std::string clock_text(double seconds) {
  const int s = static_cast<int>(seconds);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%02d:%02d", s / 60, s % 60);
  return buf;
}

bool utf8_locale() {
  for (const char* var : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::strstr(v, "UTF-8") || std::strstr(v, "utf8") || std::strstr(v, "UTF8");
  }
  return false;
}

int terminal_width(std::FILE* out) {
  winsize ws{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  return 80;
}

class ProgressReporter final : public PlaybookReporter {
 public:
  ProgressReporter(std::FILE* out, int verbosity)
      : out_(out), verbosity_(verbosity), text_(make_text_reporter(out, verbosity)), unicode_(utf8_locale()),
        start_(std::chrono::steady_clock::now()) {
    ticker_ = std::thread([this] { tick(); });
  }

  ~ProgressReporter() override {
    stop_ticker();
    std::lock_guard<std::mutex> lock(mutex_);
    clear();
  }

  void play_start(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mutex_);
    play_ = name;
    play_shown_ = false;
    if (verbosity_ >= 1) show_banners();
  }

  void task_start(const std::string& kind, const std::string& name) override {
    std::lock_guard<std::mutex> lock(mutex_);
    kind_ = kind;
    task_ = name;
    task_shown_ = false;
    targets_.clear();
    status_.clear();
    if (verbosity_ >= 1) show_banners();
    // Drawn when task_hosts() says how many hosts it has.
  }

  void task_hosts(const std::vector<std::string>& hosts) override {
    std::lock_guard<std::mutex> lock(mutex_);
    targets_ = hosts;
    draw(true);
  }

  void task_result(const TaskResultEvent& e) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const bool retry = e.retries_left >= 0;
    const bool problem = !retry && !e.ignored &&
                         (e.status == TaskStatus::kFailed || e.status == TaskStatus::kUnreachable);
    if (!retry) {
      auto [it, fresh] = status_.try_emplace(e.host, e.status);
      if (!fresh && rank(e.status) > rank(it->second)) it->second = e.status;
      if (e.ignored && it->second == TaskStatus::kFailed) it->second = TaskStatus::kOk;
    }
    if (problem || verbosity_ >= 1 || e.always_show || (e.ignored && e.status == TaskStatus::kFailed)) {
      clear();
      show_banners();
      text_->task_result(e);
    }
    draw();
  }

  void message(const std::string& text) override {
    std::lock_guard<std::mutex> lock(mutex_);
    clear();
    text_->message(text);
    draw();
  }

  void phase(int n, int total, const std::string& title) override {
    std::lock_guard<std::mutex> lock(mutex_);
    phase_ = "[" + std::to_string(n) + "/" + std::to_string(total) + "] " + title;
    clear();
    text_->phase(n, total, title);
    draw();
  }

  void recap(const std::vector<std::pair<std::string, HostStats>>& stats) override {
    stop_ticker();
    std::lock_guard<std::mutex> lock(mutex_);
    clear();
    done_ = true;
    text_->recap(stats);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(out_, "elapsed %s\n", clock_text(elapsed).c_str());
    std::fflush(out_);
  }

 private:
  static int rank(TaskStatus s) {
    switch (s) {
      case TaskStatus::kSkipped: return 0;
      case TaskStatus::kOk: return 1;
      case TaskStatus::kChanged: return 2;
      case TaskStatus::kFailed: return 3;
      case TaskStatus::kUnreachable: return 4;
    }
    return 0;
  }

  // The play and task banners, once each, before the first line printed
  // for them. REQUIRES: mutex_ held.
  void show_banners() {
    if (!play_shown_ && !play_.empty()) {
      text_->play_start(play_);
      play_shown_ = true;
    }
    if (!task_shown_ && !task_.empty()) {
      text_->task_start(kind_, task_);
      task_shown_ = true;
    }
  }

  // REQUIRES: mutex_ held.
  void clear() {
    if (!drawn_) return;
    std::fputs("\r\033[K\033[1A\r\033[K", out_);  // the counts line, then the label line above
    std::fflush(out_);
    drawn_ = false;
  }

  // REQUIRES: mutex_ held.
  void draw(bool force = false) {
    if (done_) return;
    // Results of hundreds of hosts arrive at once: an update already on
    // screen is redrawn at most every 50 ms (the ticker catches up).
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && !force && now - last_draw_ < std::chrono::milliseconds(50)) return;
    last_draw_ = now;
    ProgressLine line;
    // Masked before format_progress() cuts them to the terminal's width.
    line.phase = mask_secrets(phase_);
    line.task = task_.empty() ? "connecting" : mask_secrets((kind_ == "TASK" ? "" : kind_ + " ") + task_);
    line.targets = static_cast<int>(targets_.size());
    for (const auto& [host, s] : status_) {
      switch (s) {
        case TaskStatus::kOk: ++line.ok; break;
        case TaskStatus::kChanged: ++line.changed; break;
        case TaskStatus::kFailed: ++line.failed; break;
        case TaskStatus::kSkipped: ++line.skipped; break;
        case TaskStatus::kUnreachable: ++line.unreachable; break;
      }
    }
    line.elapsed = std::chrono::duration<double>(now - start_).count();
    std::string text = format_progress(line, terminal_width(out_) - 1, unicode_, true);
    text.replace(text.find('\n'), 1, "\n\r\033[K");
    if (drawn_) std::fputs("\r\033[K\033[1A", out_);  // back to the label line
    std::fputs(("\r\033[K" + text).c_str(), out_);
    std::fflush(out_);
    drawn_ = true;
  }

  void tick() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      ticked_.wait_for(lock, std::chrono::seconds(1));
      if (!stopping_ && drawn_) draw(true);
    }
  }

  void stop_ticker() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ticked_.notify_all();
    if (ticker_.joinable()) ticker_.join();
  }

  std::FILE* out_;
  const int verbosity_;
  std::unique_ptr<PlaybookReporter> text_;  // the lines above the bar
  const bool unicode_;
  const std::chrono::steady_clock::time_point start_;

  std::mutex mutex_;  // guards everything below and writes to out_
  std::condition_variable ticked_;
  std::thread ticker_;
  bool stopping_ = false, drawn_ = false, done_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
  std::string play_, phase_, kind_, task_;
  bool play_shown_ = false, task_shown_ = false;
  std::vector<std::string> targets_;
  std::map<std::string, TaskStatus> status_;  // the current task's hosts that reported
};

}  // namespace

bool can_redraw(std::FILE* out) {
  const char* term = std::getenv("TERM");
  return ::isatty(::fileno(out)) && term && *term && std::strcmp(term, "dumb") != 0;
}

std::string format_progress(const ProgressLine& l, int width, bool unicode, bool color) {
  const int done = l.ok + l.changed + l.failed + l.unreachable + l.skipped;
  const int pending = std::max(0, l.targets - done);
  const size_t columns = static_cast<size_t>(std::max(width, 10));
  auto paint = [&](const char* code, const std::string& s) {
    return color && code ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  };
  // First line: where the run is.
  std::string label = l.phase.empty() ? l.task : l.phase + (unicode ? " \u203a " : " > ") + l.task;
  if (utf8_length(label) > columns) label = utf8_prefix(label, columns - 1) + (unicode ? "\u2026" : "~");
  // Second line: the bar, the counts, the time; the bar goes first when
  // the terminal is narrow, then the line is cut.
  std::vector<std::pair<std::string, const char*>> parts;
  const int cells = 12;
  const int filled = l.targets > 0 ? cells * std::min(done, l.targets) / l.targets : 0;
  std::string bar;
  for (int i = 0; i < cells; ++i) bar += i < filled ? (unicode ? "\u2588" : "#") : (unicode ? "\u2591" : "-");
  parts.push_back({std::to_string(done) + "/" + std::to_string(l.targets), nullptr});
  parts.push_back({"ok " + std::to_string(l.ok), l.ok ? "32" : nullptr});
  parts.push_back({"changed " + std::to_string(l.changed), l.changed ? "33" : nullptr});
  if (l.skipped) parts.push_back({"skipped " + std::to_string(l.skipped), "36"});
  parts.push_back({"failed " + std::to_string(l.failed), l.failed ? "31" : nullptr});
  parts.push_back({"unreachable " + std::to_string(l.unreachable), l.unreachable ? "35" : nullptr});
  parts.push_back({"pending " + std::to_string(pending), nullptr});
  parts.push_back({clock_text(l.elapsed), nullptr});
  std::string plain = "|" + bar + "|", painted = "|" + paint("36", bar) + "|";
  for (const auto& [text, code] : parts) {
    plain += " " + text;
    painted += " " + paint(code, text);
  }
  if (utf8_length(plain) > columns) {  // no bar
    plain = painted = "";
    for (const auto& [text, code] : parts) {
      plain += (plain.empty() ? "" : " ") + text;
      painted += (painted.empty() ? "" : " ") + paint(code, text);
    }
    if (utf8_length(plain) > columns) painted = plain = utf8_prefix(plain, columns);
  }
  return (color ? paint("1", label) : label) + "\n" + (color ? painted : plain);
}

std::unique_ptr<PlaybookReporter> make_progress_reporter(std::FILE* out, int verbosity) {
  return std::make_unique<ProgressReporter>(out, verbosity);
}

}  // namespace fleetk8s::report

// stat: facts about a path, registered as Ansible's `stat` object. The
// script prints `key=value` lines (one GNU stat run, plus a checksum for a
// readable regular file and readlink for a link); interpret() types them.
// Never changed.
#include <cstdlib>

#include "arg_check.h"
#include "file_lib.h"
#include "registry.h"
#include "text_edit.h"

namespace fleetk8s::modules {

namespace {

// %f is the raw mode in hex; %y etc. carry the fractional seconds.
const char* kFormat =
    "rawmode=%f\\nuid=%u\\ngid=%g\\nsize=%s\\ninode=%i\\ndev=%d\\nnlink=%h\\natime=%X\\natime_f=%x\\n"
    "mtime=%Y\\nmtime_f=%y\\nctime=%Z\\nctime_f=%z\\nblocks=%b\\nblock_size=%o\\nrdev=%t:%T\\n"
    "pw_name=%U\\ngr_name=%G\\n";

std::int64_t to_int(const std::string& s, int base = 10) { return std::strtoll(s.c_str(), nullptr, base); }

// "2024-01-05 10:11:12.123456789 +0000" -> 0.123456789
double fraction(const std::string& human) {
  const size_t dot = human.find('.');
  if (dot == std::string::npos) return 0;
  const size_t end = human.find(' ', dot);
  return std::strtod(("0" + human.substr(dot, end == std::string::npos ? std::string::npos : end - dot)).c_str(), nullptr);
}

// Linux's encoding of a device number from its major and minor.
std::int64_t makedev(std::uint64_t major, std::uint64_t minor) {
  return static_cast<std::int64_t>((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffULL) << 12) |
                                   ((major & ~0xfffULL) << 32));
}

// The stat object from the script's key=value lines.
Value::Object stat_object(const std::string& out, const std::string& path) {
  std::map<std::string, std::string> kv;
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    const std::string line = out.substr(start, end - start);
    start = end + 1;
    const size_t eq = line.find('=');
    if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
  }
  Value::Object st;
  if (kv["exists"] == "false" || kv.count("rawmode") == 0) {
    st["exists"] = false;
    return st;
  }
  const auto mode = static_cast<unsigned>(to_int(kv["rawmode"], 16));
  const unsigned type = mode & 0170000;
  char perms[8];
  std::snprintf(perms, sizeof perms, "%04o", mode & 07777);
  st["exists"] = true;
  st["path"] = path;
  st["mode"] = std::string(perms);
  st["isdir"] = type == 0040000;
  st["ischr"] = type == 0020000;
  st["isblk"] = type == 0060000;
  st["isreg"] = type == 0100000;
  st["isfifo"] = type == 0010000;
  st["islnk"] = type == 0120000;
  st["issock"] = type == 0140000;
  for (const char* key : {"uid", "gid", "size", "inode", "dev", "nlink", "blocks", "block_size"}) st[key] = to_int(kv[key]);
  for (const char* key : {"atime", "mtime", "ctime"}) {
    st[key] = static_cast<double>(to_int(kv[key])) + fraction(kv[std::string(key) + "_f"]);
  }
  const std::string rdev = kv["rdev"];
  const size_t colon = rdev.find(':');
  st["device_type"] = colon == std::string::npos ? 0 : makedev(to_int(rdev.substr(0, colon), 16), to_int(rdev.substr(colon + 1), 16));
  const std::pair<const char*, unsigned> bits[] = {{"rusr", 0400}, {"wusr", 0200}, {"xusr", 0100}, {"rgrp", 040},
                                                   {"wgrp", 020},  {"xgrp", 010},  {"roth", 04},   {"woth", 02},
                                                   {"xoth", 01},   {"isuid", 04000}, {"isgid", 02000}};
  for (const auto& [key, bit] : bits) st[key] = (mode & bit) != 0;
  for (const char* key : {"readable", "writeable", "executable"}) st[key] = kv[key] == "true";
  // GNU stat prints UNKNOWN for an id without a name; Ansible leaves the key out.
  for (const char* key : {"pw_name", "gr_name"})
    if (kv[key] != "UNKNOWN") st[key] = kv[key];
  if (kv.count("checksum")) st["checksum"] = kv["checksum"].substr(0, kv["checksum"].find(' '));
  if (kv.count("lnk_source")) st["lnk_source"] = kv["lnk_source"];
  if (kv.count("lnk_target")) st["lnk_target"] = kv["lnk_target"];
  return st;
}

class StatModule final : public Module {
 public:
  std::string_view name() const override { return "stat"; }

  Result<std::string> script(const Value::Object& args, const RunMode&) const override {
    if (auto ok = no_nul(args); !ok) return ok.error().context("stat");
    const std::string path = arg_string(args, "path");
    if (path.empty()) return Error(ErrorKind::kInvalidInput, "stat: path is required");
    auto algorithm =
        arg_choice(args, "checksum_algorithm", {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}, "sha1");
    if (!algorithm) return algorithm.error().context("stat");
    const bool follow = arg_bool(args, "follow", false);

    std::string s = std::string(kScriptHead) + "fk_p=" + shell_quote(path) + "\n";
    s += follow ? "[ -e \"$fk_p\" ] || { echo exists=false; exit 0; }\n"
                : "[ -e \"$fk_p\" ] || [ -L \"$fk_p\" ] || { echo exists=false; exit 0; }\n";
    s += std::string("stat ") + (follow ? "-L " : "") + "--printf '" + kFormat + "' -- \"$fk_p\" || exit 1\n";
    for (const auto& [key, test] : {std::pair{"readable", "-r"}, {"writeable", "-w"}, {"executable", "-x"}}) {
      s += std::string("if [ ") + test + " \"$fk_p\" ]; then echo " + key + "=true; else echo " + key + "=false; fi\n";
    }
    const std::string regular = follow ? "[ -f \"$fk_p\" ]" : "[ -f \"$fk_p\" ] && [ ! -L \"$fk_p\" ]";
    if (arg_bool(args, "get_checksum", true)) {
      s += "if " + regular + " && [ -r \"$fk_p\" ]; then printf checksum=; " + *algorithm + "sum < \"$fk_p\" || exit 1; fi\n";
    }
    if (!follow) {
      s += "if [ -L \"$fk_p\" ]; then printf lnk_source=; readlink -m -- \"$fk_p\"; "
           "printf lnk_target=; readlink -- \"$fk_p\"; fi\n";
    }
    return s;
  }

  Outcome interpret(const CommandResult& ran, const Value::Object& args, const RunMode& mode) const override {
    Outcome o = Module::interpret(ran, args, mode);
    o.changed = false;
    o.diff.clear();
    if (!o.failed && !o.skipped) o.result["stat"] = stat_object(ran.out, arg_string(args, "path"));
    return o;
  }
};

}  // namespace

std::unique_ptr<Module> make_stat_module() { return std::make_unique<StatModule>(); }

}  // namespace fleetk8s::modules

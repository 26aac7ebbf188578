// A realistic ~/.ssh/config, as admins write them: bastions, wildcards,
// multiplexing, agent settings, a Vagrant block, defaults at the end.
#include <pwd.h>
#include <unistd.h>

#include "test_util.h"

using namespace fleetk8s::sshconfig;
using test::parse_ok;

namespace {

const char* kConfig = R"(# ~/.ssh/config
IgnoreUnknown UseKeychain
AddKeysToAgent yes
UseKeychain yes

Host bastion bastion.corp.example.com
    HostName bastion.corp.example.com
    User jump
    Port 2222
    IdentityFile ~/.ssh/id_ed25519_bastion
    IdentitiesOnly yes
    ForwardAgent no
    ControlMaster auto
    ControlPath ~/.ssh/cm-%r@%h:%p
    ControlPersist 10m

Host k8s-cp* k8s-worker*
    HostName %h.prod.corp.example.com
    User admin
    ProxyJump bastion
    StrictHostKeyChecking yes
    UserKnownHostsFile ~/.ssh/known_hosts.d/prod
    ServerAliveInterval 30
    ServerAliveCountMax 3

Host k8s-worker-legacy
    HostName 10.20.30.40
    HostKeyAlgorithms +ssh-rsa
    PubkeyAcceptedKeyTypes +ssh-rsa
    KexAlgorithms +diffie-hellman-group14-sha1

Host cp1
  HostName 127.0.0.1
  User vagrant
  Port 2222
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  PasswordAuthentication no
  IdentityFile /home/me/rig/.vagrant/machines/cp1/virtualbox/private_key
  IdentitiesOnly yes
  LogLevel FATAL
  PubkeyAcceptedKeyTypes +ssh-rsa
  HostKeyAlgorithms +ssh-rsa

Match host *.lab.example.com !host db*.lab.example.com
    StrictHostKeyChecking accept-new
    ConnectTimeout 3

Host *
    User fallback
    ServerAliveInterval 60
    SendEnv LANG LC_*
    HashKnownHosts yes
    GSSAPIAuthentication no
    IdentityFile ~/.ssh/id_ed25519
    ConnectTimeout 10
)";

}  // namespace

TEST_CASE("realistic config: bastion, prod workers, legacy host, Vagrant, lab, defaults", "[sshconfig]") {
  auto c = parse_ok(kConfig);
  const std::string home = ::getpwuid(::getuid())->pw_dir;

  auto bastion = c.lookup("bastion", "me");
  CHECK(bastion.hostname == "bastion.corp.example.com");
  CHECK(bastion.user == "jump");
  CHECK(bastion.port == 2222);
  CHECK(bastion.identity_files == std::vector<std::string>{home + "/.ssh/id_ed25519_bastion", home + "/.ssh/id_ed25519"});
  CHECK(bastion.identities_only == true);
  CHECK_FALSE(bastion.proxy_jump);
  CHECK(bastion.connect_timeout == std::chrono::seconds(10));

  auto worker = c.lookup("k8s-worker-legacy", "me");
  CHECK(worker.hostname == "k8s-worker-legacy.prod.corp.example.com");  // the first HostName wins
  CHECK(worker.user == "admin");
  CHECK(worker.proxy_jump == "bastion");
  CHECK(worker.strict_host_key_checking == "yes");
  CHECK(worker.user_known_hosts_files == std::vector<std::string>{home + "/.ssh/known_hosts.d/prod"});

  auto cp1 = c.lookup("cp1", "me");
  CHECK(cp1.hostname == "127.0.0.1");
  CHECK(cp1.user == "vagrant");
  CHECK(cp1.port == 2222);
  CHECK(cp1.strict_host_key_checking == "no");
  CHECK(cp1.user_known_hosts_files == std::vector<std::string>{"/dev/null"});
  CHECK(cp1.identity_files ==
        std::vector<std::string>{"/home/me/rig/.vagrant/machines/cp1/virtualbox/private_key", home + "/.ssh/id_ed25519"});

  auto lab = c.lookup("web.lab.example.com", "me");
  CHECK(lab.strict_host_key_checking == "accept-new");
  CHECK(lab.connect_timeout == std::chrono::seconds(3));
  CHECK(lab.user == "fallback");
  auto labdb = c.lookup("db1.lab.example.com", "me");
  CHECK_FALSE(labdb.strict_host_key_checking);
  CHECK(labdb.connect_timeout == std::chrono::seconds(10));

  auto blocks = c.host_blocks();
  REQUIRE(blocks.size() == 5);
  CHECK(blocks[0].patterns == std::vector<std::string>{"bastion", "bastion.corp.example.com"});
  CHECK(blocks[0].line == 6);
  CHECK(blocks[3].patterns == std::vector<std::string>{"cp1"});
  CHECK(blocks[4].patterns == std::vector<std::string>{"*"});
}

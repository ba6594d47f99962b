// election_index: the election as the commission's tally sees it, built from the signed
// election packages (one per polling station, election/signed_package.h).
//
// All packages must be of one election: the same election id and training flag, the same
// party-list ballot (ids and options in order) and seat rules, and for each district number
// the same district ballot. A station id may appear in one package only. Regions are named
// as the protocol names them: the package's English region name, else the Russian one.
//
// load_packages() reads and verifies the files on `threads` threads (each file with
// election::load_signed_package against the commission key). The index owns its packages;
// it is immutable once built and safe to share between threads.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "election/election_package.h"

namespace ballotbox::tally {

struct district_info {
    int number = 0;
    std::string region;
    std::string name;                          // the package's district name (en, else ru)
    const election::ballot* ballot = nullptr;  // its single-member district ballot, if any
};

class election_index {
  public:
    // Move-only: it hands out pointers into its own packages.
    election_index(const election_index&) = delete;
    election_index& operator=(const election_index&) = delete;
    election_index(election_index&&) = default;
    election_index& operator=(election_index&&) = default;

    // Errors: "tally.no_packages", "tally.packages_disagree" (naming the two packages and
    // what differs), "tally.duplicate_station_package".
    static result<election_index> build(std::vector<election::election_package> packages);

    const election::election_package* find(std::string_view station_id) const;
    const std::vector<election::election_package>& packages() const { return packages_; }
    const std::string& election_id() const { return packages_.front().election_id; }
    const election::election_package& first() const { return packages_.front(); }
    // The party-list ballot (nullptr if the election has none) and its seat rules.
    const election::ballot* party_list() const { return party_list_; }
    const std::optional<election::seat_rules>& seat_rules() const {
        return packages_.front().party_list_seats;
    }
    const std::map<int, district_info>& districts() const { return districts_; }
    const std::vector<std::string>& regions() const { return regions_; }  // first-seen order

  private:
    election_index() = default;
    std::vector<election::election_package> packages_;
    std::map<std::string, std::size_t, std::less<>> by_station_;
    const election::ballot* party_list_ = nullptr;
    std::map<int, district_info> districts_;
    std::vector<std::string> regions_;
};

std::string region_name(const election::election_package& package);

// Errors: "tally.package_rejected" (naming the file and load_signed_package's reason),
// and build()'s errors.
result<election_index> load_packages(const std::vector<std::filesystem::path>& files,
                                     const crypto::ed25519_public_key& commission_key,
                                     unsigned threads);

}  // namespace ballotbox::tally

#include "tally/election_index.h"

#include <algorithm>

#include "common/parallel_for.h"
#include "election/signed_package.h"
#include "tally/read_file.h"

namespace ballotbox::tally {

namespace {

const election::ballot* find_kind(const election::election_package& p, election::ballot_kind kind) {
    for (const auto& b : p.ballots)
        if (b.kind == kind)
            return &b;
    return nullptr;
}

bool same_ballot(const election::ballot* a, const election::ballot* b) {
    if (!a || !b)
        return a == b;
    if (a->id != b->id || a->against_all != b->against_all ||
        a->options.size() != b->options.size() || a->district_number != b->district_number)
        return false;
    for (std::size_t i = 0; i < a->options.size(); ++i)
        if (a->options[i].id != b->options[i].id)
            return false;
    return true;
}

error disagree(const election::election_package& a, const election::election_package& b,
               const std::string& what) {
    return make_error("tally.packages_disagree", "The packages of stations \"" + a.station_id +
                                                     "\" and \"" + b.station_id + "\" differ in " +
                                                     what + ": they are not of one election.");
}

bool same_rules(const std::optional<election::seat_rules>& a,
                const std::optional<election::seat_rules>& b) {
    if (!a || !b)
        return a.has_value() == b.has_value();
    return a->seats == b->seats && a->threshold_basis_points == b->threshold_basis_points &&
           a->runner_up_min_seats == b->runner_up_min_seats;
}

}  // namespace

std::string region_name(const election::election_package& package) {
    return package.region.en.empty() ? package.region.ru : package.region.en;
}

const election::election_package* election_index::find(std::string_view station_id) const {
    auto it = by_station_.find(station_id);
    return it == by_station_.end() ? nullptr : &packages_[it->second];
}

result<election_index> election_index::build(std::vector<election::election_package> packages) {
    if (packages.empty())
        return make_error("tally.no_packages", "No election package was given (--package).");
    election_index idx;
    idx.packages_ = std::move(packages);
    const auto& first = idx.packages_.front();
    idx.party_list_ = find_kind(first, election::ballot_kind::party_list);
    for (std::size_t i = 0; i < idx.packages_.size(); ++i) {
        const auto& p = idx.packages_[i];
        if (p.election_id != first.election_id)
            return disagree(first, p, "the election id");
        if (p.training != first.training)
            return disagree(first, p, "the training flag");
        if (!same_ballot(find_kind(p, election::ballot_kind::party_list), idx.party_list_))
            return disagree(first, p, "the party-list ballot");
        if (!same_rules(p.party_list_seats, first.party_list_seats))
            return disagree(first, p, "the seat rules");
        if (!idx.by_station_.emplace(p.station_id, i).second)
            return make_error("tally.duplicate_station_package",
                              "Two packages are for station \"" + p.station_id + "\".");
        const auto region = region_name(p);
        if (std::find(idx.regions_.begin(), idx.regions_.end(), region) == idx.regions_.end())
            idx.regions_.push_back(region);
        const auto* smd = find_kind(p, election::ballot_kind::single_member_district);
        auto [it, fresh] = idx.districts_.try_emplace(p.district_number);
        auto& d = it->second;
        if (fresh) {
            d.number = p.district_number;
            d.region = region;
            d.name = p.district_name.en.empty() ? p.district_name.ru : p.district_name.en;
            d.ballot = smd;
        } else if (!same_ballot(d.ballot, smd)) {
            return make_error("tally.packages_disagree",
                              "Station \"" + p.station_id + "\" has another ballot for district " +
                                  std::to_string(p.district_number) +
                                  " than the other stations of that district.");
        }
    }
    return idx;
}

result<election_index> load_packages(const std::vector<std::filesystem::path>& files,
                                     const crypto::ed25519_public_key& commission_key,
                                     unsigned threads) {
    std::vector<std::optional<election::election_package>> loaded(files.size());
    std::vector<std::optional<error>> failures(files.size());
    parallel_for(files.size(), threads, [&](std::size_t i) {
        auto text = read_bounded_file(files[i], 1u << 20);
        if (!text) {
            failures[i] = text.err();
            return;
        }
        auto pkg = election::load_signed_package(*text, commission_key);
        if (!pkg)
            failures[i] = pkg.err();
        else
            loaded[i] = std::move(*pkg);
    });
    std::vector<election::election_package> packages;
    packages.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (failures[i])
            return make_error("tally.package_rejected", "Package " + files[i].string() +
                                                            " is refused (" + failures[i]->code +
                                                            "): " + failures[i]->message);
        packages.push_back(std::move(*loaded[i]));
    }
    return election_index::build(std::move(packages));
}

}  // namespace ballotbox::tally

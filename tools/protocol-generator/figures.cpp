#include "figures.h"

#include <cstdio>

#include "crypto/random.h"

namespace ballotbox::generator {

std::vector<std::int64_t> split_exact(std::int64_t total, const std::vector<std::int64_t>& weights,
                                      std::size_t start) {
    std::int64_t sum = 0;
    for (auto w : weights)
        sum += w;
    std::vector<std::int64_t> parts(weights.size(), 0);
    if (weights.empty() || sum <= 0)
        return parts;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        // total < 2^34 and w < 2^24 in every use here: no overflow.
        parts[i] = total * weights[i] / sum;
        given += parts[i];
    }
    for (std::size_t k = 0; given < total; ++k, ++given)
        ++parts[(start + k) % parts.size()];
    return parts;
}

namespace figures {

namespace {
std::int64_t between(crypto::seeded_random& r, std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(r.uniform(static_cast<std::uint64_t>(hi - lo + 1)));
}
}  // namespace

result<election_plan> plan(const generator_options& o) {
    int districts = 0;
    for (const auto& r : o.regions)
        districts += r.districts;
    std::int64_t all_votes = o.against_all + o.blank;
    for (const auto& p : o.parties)
        all_votes += p.votes;
    if (o.stations == 0 || districts <= 0 || o.stations < static_cast<std::size_t>(districts) ||
        o.parties.empty() || o.voters_on_lists < all_votes ||
        o.voters_on_lists >= (std::int64_t{1} << 34) ||
        static_cast<std::int64_t>(o.stations) * 100000 < o.voters_on_lists)
        return make_error("generator.bad_options",
                          "The generator needs at least one station per district, parties, and "
                          "voters on the lists "
                          "at least the votes (and at most 100,000 per station).");
    crypto::seeded_random r(o.seed ^ 0x9e3779b97f4a7c15ULL);
    election_plan pl;
    const std::size_t n = o.stations;
    pl.stations.resize(n);
    // Stations over districts evenly (districts over regions as given), so regions get
    // stations in proportion to their districts.
    std::vector<std::size_t> region_of_district(1, 0);
    for (std::size_t reg = 0; reg < o.regions.size(); ++reg)
        for (int d = 0; d < o.regions[reg].districts; ++d)
            region_of_district.push_back(reg);
    for (std::size_t i = 0; i < n; ++i) {
        const int d = static_cast<int>(i * static_cast<std::size_t>(districts) / n) + 1;
        pl.stations[i].district = d;
        pl.stations[i].region = region_of_district[static_cast<std::size_t>(d)];
    }
    pl.candidates.assign(static_cast<std::size_t>(districts) + 1, 0);
    pl.candidate_ids.assign(static_cast<std::size_t>(districts) + 1, {});
    std::vector<std::vector<std::int64_t>> district_bias(static_cast<std::size_t>(districts) + 1);
    for (int d = 1; d <= districts; ++d) {
        const auto k = static_cast<int>(between(r, 3, 5));
        pl.candidates[static_cast<std::size_t>(d)] = k;
        for (int c = 1; c <= k; ++c) {
            char id[32];
            std::snprintf(id, sizeof id, "candidate-%02d-%d", d, c);
            pl.candidate_ids[static_cast<std::size_t>(d)].push_back(id);
            district_bias[static_cast<std::size_t>(d)].push_back(between(r, 10, 100));
        }
    }
    // Station size weights, then every national figure split with a little noise per station.
    std::vector<std::int64_t> size(n);
    for (auto& s : size)
        s = between(r, 500, 1500);
    auto noisy = [&](const std::vector<std::int64_t>& base) {
        std::vector<std::int64_t> w(base.size());
        for (std::size_t i = 0; i < base.size(); ++i)
            w[i] = base[i] * between(r, 60, 140);
        return w;
    };
    auto start = [&] { return static_cast<std::size_t>(r.uniform(n)); };
    for (std::size_t p = 0; p < o.parties.size(); ++p) {
        auto parts = split_exact(o.parties[p].votes, noisy(size), start());
        for (std::size_t i = 0; i < n; ++i)
            pl.stations[i].party_list.options.push_back(parts[i]);
    }
    auto against = split_exact(o.against_all, noisy(size), start());
    auto blank = split_exact(o.blank, noisy(size), start());
    std::int64_t cast_total = 0;
    std::vector<std::int64_t> cast(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& b = pl.stations[i].party_list;
        b.against_all = against[i];
        b.blank = blank[i];
        cast[i] = b.against_all + b.blank;
        for (auto v : b.options)
            cast[i] += v;
        b.cast_portable = cast[i] / 30;
        b.cast_station = cast[i] - b.cast_portable;
        cast_total += cast[i];
    }
    auto not_voting = split_exact(o.voters_on_lists - cast_total, size, start());
    for (std::size_t i = 0; i < n; ++i) {
        auto& st = pl.stations[i];
        st.voters_on_list = cast[i] + not_voting[i];
        if (st.voters_on_list > 100000)
            return make_error("generator.bad_options",
                              "A station would have more than 100,000 voters: use more stations.");
        // The district ballot: every voter took both ballots.
        auto& db = st.district_ballot;
        db.cast_station = st.party_list.cast_station;
        db.cast_portable = st.party_list.cast_portable;
        db.blank = cast[i] * between(r, 1, 3) / 100;
        db.against_all = cast[i] * between(r, 2, 5) / 100;
        const auto& bias = district_bias[static_cast<std::size_t>(st.district)];
        db.options = split_exact(cast[i] - db.blank - db.against_all, noisy(bias),
                                 static_cast<std::size_t>(r.uniform(bias.size())));
    }
    return pl;
}

}  // namespace figures
}  // namespace ballotbox::generator

package io.warmstream.merger.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the merger knows about its average, as of the newest published version: exactly what the newest
 * {@code WarmModelPublished} on {@code warm.models} carries, so a restarted merger recovers it from Kafka alone.
 * Version 0 means nothing was published yet. Immutable.
 *
 * <p>The newest version is the one the next checkpoint folds into, withheld or not; {@code servedVersion} is the one
 * scorers serve. They differ while the quality gate withholds versions; the served one is always in {@code kept}.
 *
 * @param lineage      lineage id of the average's members (null until the first version)
 * @param folds        models folded in overall (sliding windows and EMA keep or weigh fewer)
 * @param kept         versions kept in the store, newest first, the current one included
 * @param formerMembers newest job ids that were folded in but are members no more (sliding window, rollback)
 * @param servedVersion the version to serve (this one unless the gate withheld it); 0 when there is none
 * @param quality       this version's held-out figures beyond its accuracy, and whether it was withheld
 * @param generation    the shared-head generation of its members (every member's: generations never mix)
 */
public record AverageState(String average, long version, String uri, String sha256, String lineage, String strategy,
                           List<MemberInfo> members, long folds, Double validationAccuracy, Double membersMeanAccuracy,
                           int holdoutLabels, Long rollbackOf, Instant publishedAt, List<KeptEntry> kept,
                           List<String> formerMembers, long servedVersion, QualityFigures quality, int generation) {

    /** A version of generation 0. */
    public AverageState(String average, long version, String uri, String sha256, String lineage, String strategy,
                        List<MemberInfo> members, long folds, Double validationAccuracy, Double membersMeanAccuracy,
                        int holdoutLabels, Long rollbackOf, Instant publishedAt, List<KeptEntry> kept,
                        List<String> formerMembers, long servedVersion, QualityFigures quality) {
        this(average, version, uri, sha256, lineage, strategy, members, folds, validationAccuracy,
                membersMeanAccuracy, holdoutLabels, rollbackOf, publishedAt, kept, formerMembers, servedVersion,
                quality, 0);
    }

    /** How many former members' ids a state remembers; older ones fall off. */
    public static final int FORMER_MEMBERS_REMEMBERED = 1000;

    public AverageState {
        members = List.copyOf(members);
        kept = List.copyOf(kept);
        formerMembers = List.copyOf(formerMembers);
        quality = quality == null ? QualityFigures.NONE : quality;
    }

    public static AverageState empty(String average, String strategy) {
        return new AverageState(average, 0, null, null, null, strategy, List.of(), 0, null, null, 0, null, null,
                List.of(), List.of(), 0, QualityFigures.NONE);
    }

    public boolean hasVersion() {
        return version > 0;
    }

    /** True if the job was folded into this average before (a member now, or once). */
    public boolean hasFolded(String jobId) {
        return member(jobId) != null || formerMembers.contains(jobId);
    }

    public MemberInfo member(String jobId) {
        for (MemberInfo m : members) {
            if (m.jobId().equals(jobId)) {
                return m;
            }
        }
        return null;
    }

    /** True unless the quality gate withheld this version. */
    public boolean served() {
        return !quality.withheld();
    }

    /** The kept entry of the served version, or null when none is served yet. */
    public KeptEntry servedEntry() {
        return servedVersion > 0 ? keptVersion(servedVersion) : null;
    }

    public KeptEntry keptVersion(long v) {
        for (KeptEntry k : kept) {
            if (k.version() == v) {
                return k;
            }
        }
        return null;
    }

    public AverageState withKept(List<KeptEntry> newKept) {
        return new AverageState(average, version, uri, sha256, lineage, strategy, members, folds, validationAccuracy,
                membersMeanAccuracy, holdoutLabels, rollbackOf, publishedAt, newKept, formerMembers, servedVersion,
                quality, generation);
    }

    /** The generation of the served version (that of this one when nothing else is known). */
    public int servedGeneration() {
        KeptEntry served = servedEntry();
        return served == null ? generation : served.generation();
    }

    /**
     * What a checkpoint of {@code generation} folds into when this is the average's newest version: the running
     * average of its own generation ({@code own}, that generation's newest version; null if it has none yet, and the
     * checkpoint starts it), with this state's version count, kept list and served version, which all generations
     * share. The result's {@link #uri()} is null when the generation has no average yet.
     */
    public AverageState foldBaseFor(int generation, AverageState own) {
        if (hasVersion() && generation == this.generation) {
            return this;
        }
        if (own == null) {
            return new AverageState(average, version, null, null, null, strategy, List.of(), 0, null, null, 0, null,
                    publishedAt, kept, List.of(), servedVersion, QualityFigures.NONE, generation);
        }
        if (own.generation() != generation) {
            throw new IllegalArgumentException("the newest version of generation " + generation + " is of generation "
                    + own.generation());
        }
        return new AverageState(average, version, own.uri(), own.sha256(), own.lineage(), strategy, own.members(),
                own.folds(), own.validationAccuracy(), own.membersMeanAccuracy(), own.holdoutLabels(),
                own.rollbackOf(), own.publishedAt(), kept, own.formerMembers(), servedVersion, own.quality(),
                generation);
    }

    /** Former members after {@code newMembers} replace {@link #members()}: whoever left is remembered, newest last. */
    public List<String> formerMembersAfter(List<MemberInfo> newMembers) {
        Set<String> staying = new LinkedHashSet<>();
        newMembers.forEach(m -> staying.add(m.jobId()));
        List<String> out = new ArrayList<>(formerMembers);
        out.removeIf(staying::contains);
        for (MemberInfo m : members) {
            if (!staying.contains(m.jobId()) && !out.contains(m.jobId())) {
                out.add(m.jobId());
            }
        }
        return out.size() <= FORMER_MEMBERS_REMEMBERED ? out
                : out.subList(out.size() - FORMER_MEMBERS_REMEMBERED, out.size());
    }
}

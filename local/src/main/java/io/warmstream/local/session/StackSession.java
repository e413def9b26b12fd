package io.warmstream.local.session;

import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.WorldConfig;
import io.warmstream.local.client.IngestClient;
import io.warmstream.local.client.ScorerClient;
import io.warmstream.local.feed.ScoringTraffic;
import io.warmstream.local.feed.FeedState;
import io.warmstream.local.feed.GoldTestSets;
import io.warmstream.local.feed.PipelineLabels;
import io.warmstream.local.feed.ResumePoint;
import io.warmstream.local.feed.SimulatorFeed;
import io.warmstream.local.stack.LocalStack;
import io.warmstream.local.stack.StackSettings;
import io.warmstream.local.watch.Account;
import io.warmstream.local.watch.TopicWatcher;
import io.warmstream.security.Roles;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code warm demo} and {@code warm up} run: the {@link LocalStack}, the live {@link Account} of its topics,
 * and (for the demo) the simulated labelling pipeline. {@link #close()} stops them in the order that loses
 * nothing: the feed (its last batch acknowledged and saved), the account, then the stack.
 */
public final class StackSession implements AutoCloseable {

    /**
     * The demo's label source.
     *
     * @param seed         the preference world's seed
     * @param flipFraction share of labels deliberately flipped (label noise)
     * @param rate         labels per second
     * @param badFraction  share of labels sent broken, for ingest to refuse (see {@link PipelineLabels})
     * @param limit        total labels to send over all runs on this data directory ({@code Long.MAX_VALUE}: no end)
     * @param scoreEvery   how often the simulated RL service scores a post's candidates ({@code Duration.ZERO}: never)
     */
    public record FeedOptions(long seed, double flipFraction, double badFraction, double rate, long limit, Duration scoreEvery) {
    }

    /** Pairs in each gold test set: at 1,000 an accuracy near 0.8 has a standard error of about 0.013. */
    static final int GOLD_PAIRS = 1000;
    private static final String GOLD_PROPERTY = "warm.scorer.evaluation.test-sets";

    /** Pairs in each of the demo's gold test sets. */
    public static int goldPairs() {
        return GOLD_PAIRS;
    }

    private final LocalStack stack;
    private final TopicWatcher watcher;
    private final SimulatorFeed feed;
    private final ScoringTraffic traffic;
    private final Account account;
    private boolean closed;

    private StackSession(LocalStack stack, TopicWatcher watcher, SimulatorFeed feed, ScoringTraffic traffic, Account account) {
        this.stack = stack;
        this.watcher = watcher;
        this.feed = feed;
        this.traffic = traffic;
        this.account = account;
    }

    /** Starts the stack, then the account, then the feed ({@code feedOptions == null}: no feed). */
    public static StackSession start(StackSettings stackSettings, FeedOptions feedOptions, PrintStream out, Clock clock,
                                     Duration labelInterval) {
        StackSettings settings = feedOptions == null ? stackSettings : withGoldTestSets(stackSettings, feedOptions, out);
        out.printf("starting the warmstream stack in %s (logs: %s)%n", settings.dataDir(), settings.logFile());
        out.printf("  base model      %s, %d trainer%s%n", settings.profile().name(), settings.trainers(), settings.trainers() == 1 ? "" : "s");
        LocalStack stack = LocalStack.start(settings, line -> {
            out.println("  " + line);
            out.flush();
        });
        TopicWatcher watcher = null;
        SimulatorFeed feed = null;
        ScoringTraffic traffic = null;
        try {
            String ingestUrl = stack.service("ingest").orElseThrow().url();
            if (feedOptions != null) {
                feed = newFeed(stack, feedOptions, ingestUrl, clock, out);
                if (!feedOptions.scoreEvery().isZero()) {
                    traffic = new ScoringTraffic(PreferenceWorld.create(WorldConfig.defaults().withSeed(feedOptions.seed())),
                            new ScorerClient(stack.service("scorer").orElseThrow().url(), Duration.ofSeconds(60),
                                    stack.secrets().key(Roles.READER)), 8,
                            feedOptions.scoreEvery(), 0.25);
                }
            }
            printEndpoints(stack, out, feedOptions != null);
            SimulatorFeed f = feed;
            // "First WARM version after ..." counts from the process start: what a user running ./warm demo waits.
            long started = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            Account account = new Account(out, clock, started, labelInterval, f == null ? null : f::stats);
            watcher = new TopicWatcher(stack.kafkaSettings(), account);
            watcher.start();
            if (feed != null) {
                feed.start();
            }
            if (traffic != null) {
                traffic.start();
            }
            return new StackSession(stack, watcher, feed, traffic, account);
        } catch (RuntimeException e) {
            if (watcher != null) {
                watcher.close();
            }
            stack.close();
            throw e;
        }
    }

    /**
     * The simulator knows the gold reward: the scorer judges every served version on fixed gold test sets (unless
     * the user named test sets of their own with --set).
     */
    private static StackSettings withGoldTestSets(StackSettings settings, FeedOptions o, PrintStream out) {
        if (settings.overrides().containsKey(GOLD_PROPERTY)) {
            return settings;
        }
        PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withSeed(o.seed()));
        Map<String, Path> files = GoldTestSets.write(world, GOLD_PAIRS, settings.dataDir().resolve("test-sets"));
        out.printf("  test sets       %,d gold-ordered pairs in distribution and %,d out of distribution (%s)%n",
                GOLD_PAIRS, GOLD_PAIRS, settings.dataDir().resolve("test-sets"));
        // On a first run the judge spends minutes of low-priority CPU on the test sequences' frozen layers; without
        // this line a user watching the account sees versions published and no gold figure, and cannot tell why.
        out.printf("                  the scorer's judge first computes their frozen bottom layers, at low priority beside "
                + "training%n                  and once (kept in %s), so the first gold figures trail the first "
                + "versions%n", settings.featuresDir("evaluation"));
        // The judge computes the base's bottom layers for the test pairs while the stack waits for its first version.
        return settings.withOverrides(Map.of(GOLD_PROPERTY, GoldTestSets.property(files),
                "warm.scorer.evaluation.base-model", settings.profile().baseModel()));
    }

    private static SimulatorFeed newFeed(LocalStack stack, FeedOptions o, String ingestUrl, Clock clock, PrintStream out) {
        Path stateFile = stack.settings().dataDir().resolve("simulator.properties");
        FeedState state = FeedState.load(stateFile, FeedState.fresh(o.seed()));
        WorldConfig config = WorldConfig.defaults().withSeed(o.seed()).withFlipFraction(o.flipFraction()).withSource("warm-demo");
        PipelineLabels labels = new PipelineLabels(PreferenceWorld.create(config), o.badFraction());
        String prefix = "pw-" + o.seed() + "-train-";
        long inKafka = ResumePoint.highestIndex(stack.kafkaSettings(), prefix) + 1;
        if (inKafka > state.nextIndex()) {
            state = state.advancedTo(inKafka);
        }
        if (state.nextIndex() > 0) {
            out.printf("  simulator       resuming at label %,d (seed %d)%n", state.nextIndex(), o.seed());
        }
        out.printf("  simulator       preference world seed %d, %s labels/s, %.0f%% flipped, %.0f%% broken%s%n", o.seed(),
                trim(o.rate()), 100 * o.flipFraction(), 100 * o.badFraction(),
                o.limit() == Long.MAX_VALUE ? "" : String.format(", up to %,d labels", o.limit()));
        return new SimulatorFeed(labels, clock, new IngestClient(ingestUrl, Duration.ofSeconds(60), stack.secrets().key(Roles.LABELLER)), state, stateFile, o.rate(), o.limit());
    }

    private static void printEndpoints(LocalStack stack, PrintStream out, boolean demo) {
        Path secrets = stack.secrets().credentials().secretsFile();
        out.println();
        out.printf("credentials:    one API key per role (labeller, reader, exporter, admin) in %s%n", secrets);
        out.printf("  use one       KEY=$(sed -n 's/^reader=//p' %s); curl -H \"Authorization: Bearer $KEY\" ...%n", secrets);
        out.println("                (./warm send and ./warm score find their key there by themselves; browsers: any user name, the key as password)");
        out.println();
        out.println("ready:");
        stack.service("ingest").ifPresent(s -> out.printf("  send labels   curl -X POST %s/v1/preferences -H \"Authorization: Bearer $LABELLER_KEY\" -H 'Content-Type: application/json' -d '{\"prompt\":\"...\",\"chosen\":\"...\",\"rejected\":\"...\"}'   (or ./warm send labels.jsonl)%n", s.url()));
        stack.service("scorer").ifPresent(s -> {
            out.printf("  rewards       curl -X POST %s/v1/rewards -H \"Authorization: Bearer $READER_KEY\" -H 'Content-Type: application/json' -d '{\"items\":[{\"prompt\":\"...\",\"response\":\"...\"}]}'%n", s.url());
            out.printf("  models        %s/v1/models/current   API description %s/v1/openapi.yml (reader)%n", s.url(), s.url());
            Dashboard.find(s.url(), stack.secrets().key(Roles.READER))
                    .ifPresent(url -> out.printf("  dashboard     %s (user name: anything; password: the reader key)%n", url));
        });
        stack.service("merger").ifPresent(s -> out.printf("  merger        %s/v1/merger/state (reader); pause, resume, rollback/{v}: POST a JSON body ({\"reason\":\"...\"}) with the admin key%n", s.url()));
        out.printf("  kafka         %s   registry %s%n", stack.bootstrapServers(), stack.registryUrl());
        out.println(demo ? "Ctrl-C stops everything; ./warm demo on the same data directory resumes."
                : "Ctrl-C stops everything; send labels with ./warm send <file.jsonl>.");
        out.println();
        out.flush();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    public LocalStack stack() {
        return stack;
    }

    public Optional<SimulatorFeed> feed() {
        return Optional.ofNullable(feed);
    }

    public Account account() {
        return account;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (traffic != null) {
            traffic.close();
        }
        if (feed != null) {
            feed.close();
        }
        watcher.close();
        stack.close();
    }
}

package io.warmstream.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates SCRAM-SHA-512 credentials on a running broker and waits until the broker knows them. */
final class ScramUsers {

    /** Kafka's default for SCRAM-SHA-512 (and the minimum it accepts). */
    private static final int ITERATIONS = 4096;

    private ScramUsers() {
    }

    /** Upserts the super user's and every listed user's credential; returns once all of them can log in. */
    static void upsert(Map<String, Object> adminConfig, BrokerSecurity security, Duration wait) {
        Map<String, String> all = new LinkedHashMap<>(security.users());
        all.put(BrokerSecurity.SUPER_USER, security.superUserPassword());
        ScramCredentialInfo info = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS);
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        all.forEach((user, password) -> alterations.add(new UserScramCredentialUpsertion(user, info, password)));
        try (Admin admin = Admin.create(adminConfig)) {
            admin.alterUserScramCredentials(alterations).all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            awaitKnown(admin, all.keySet(), wait);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create SCRAM users " + all.keySet(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The broker learns credentials from the metadata log a moment after the controller accepted them. */
    private static void awaitKnown(Admin admin, Set<String> users, Duration wait)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Map<String, UserScramCredentialsDescription> known =
                    admin.describeUserScramCredentials().all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (known.keySet().containsAll(users)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker does not know the SCRAM users " + users + " after " + wait);
            }
            Thread.sleep(50);
        }
    }
}

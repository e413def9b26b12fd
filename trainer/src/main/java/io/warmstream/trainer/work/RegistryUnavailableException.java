package io.warmstream.trainer.work;

/** The schema registry could not be reached while a job's records were decoded: run the job again later. */
final class RegistryUnavailableException extends RuntimeException {

    RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

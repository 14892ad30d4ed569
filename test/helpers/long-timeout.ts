/** The e2e and cluster suites start real processes (pulumi, kube-apiserver): ten minutes a test. */
jest.setTimeout(10 * 60_000);

import { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { parseS3Location, readS3Location, type StateStoreLocation } from './state-store';

/**
 * Where etcd-manager writes each etcd cluster's backups: `backups.backupStore`, or kops'
 * default `<configBase>/backups/etcd/<etcd cluster name>` (components/etcdmanager). The
 * control plane may write there; `memfs://` stores are ignored like the state store.
 */
export function readBackupStores(spec: YamlNode, report: Report): StateStoreLocation[] {
  const configBase = spec.get('configBase').string();
  const out = new Map<string, StateStoreLocation>();
  for (const etcd of spec.get('etcdClusters').items()) {
    const store = etcd.at('backups', 'backupStore');
    const name = etcd.get('name').string();
    // The default is under configBase, already checked as a state store: its problems are not repeated.
    const location = !store.unset
      ? readS3Location(store, report)
      : configBase !== undefined && name !== undefined
        ? parseS3Location(`${configBase.replace(/\/+$/, '')}/backups/etcd/${name}`, spec.get('configBase'), new Report())
        : undefined;
    if (location === undefined || location === 'memfs') continue;
    out.set(`${location.bucket}/${location.prefix}`, location);
  }
  return [...out.values()];
}

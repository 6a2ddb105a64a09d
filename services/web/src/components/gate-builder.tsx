import { type ReactNode, useId, useState } from 'react';
import type { ChainInfo, CommunityRole } from '../api/types.ts';
import { readTokenInfo } from '../holdings.tsx';
import { checkAddress } from '../lib/address.ts';
import {
  type Draft,
  type DraftErrors,
  type GroupDraft,
  type LeafDraft,
  type LeafType,
  newGroup,
  newLeaf,
  updateDraft,
} from '../lib/gate-draft.ts';

const LEAF_LABELS: Record<LeafType, string> = {
  subscription: 'Paid subscription',
  erc20: 'Token balance (ERC-20)',
  erc721: 'NFT (ERC-721)',
  erc1155: 'Multi-token (ERC-1155)',
  native: 'Native coin balance (ETH)',
  allowlist: 'Allowlist (wallets / emails)',
  role: 'Community role',
};

const ROLES: CommunityRole[] = ['owner', 'admin', 'moderator', 'member'];

interface Props {
  value: Draft;
  onChange(next: Draft): void;
  errors: DraftErrors;
  showErrors: boolean;
  chains: ChainInfo[];
}

function Field({
  label,
  error,
  children,
  id,
  hint,
}: {
  label: string;
  error: string | undefined;
  id: string;
  hint?: string;
  children: (aria: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': Boolean(error),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="muted">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function LeafEditor({
  leaf,
  update,
  remove,
  errors,
  chains,
}: {
  leaf: LeafDraft;
  update(change: Partial<LeafDraft>): void;
  remove(): void;
  errors: Record<string, string>;
  chains: ChainInfo[];
}) {
  const uid = useId();
  const id = (name: string) => `${uid}-${name}`;
  const onChain =
    leaf.type === 'erc20' || leaf.type === 'erc721' || leaf.type === 'erc1155' || leaf.type === 'native';
  const lookUpDecimals = async (token: string) => {
    const check = checkAddress(token);
    if (leaf.type !== 'erc20' || !check.ok) return;
    const info = await readTokenInfo(Number(leaf.chainId), check.address, 'erc20').catch(() => undefined);
    if (info?.decimals !== undefined) update({ decimals: String(info.decimals) });
  };
  return (
    <li className="gate-leaf" data-gate-type={leaf.type}>
      <div className="gate-leaf-head">
        <strong>{LEAF_LABELS[leaf.type]}</strong>
        <button
          type="button"
          className="link"
          onClick={remove}
          aria-label={`Remove condition: ${LEAF_LABELS[leaf.type]}`}
        >
          Remove
        </button>
      </div>
      {onChain ? (
        <Field label="Network" id={id('chain')} error={errors.chainId}>
          {(aria) => (
            <select {...aria} value={leaf.chainId} onChange={(e) => update({ chainId: e.target.value })}>
              {chains.map((c) => (
                <option key={c.chainId} value={c.chainId}>
                  {c.name} ({c.chainId})
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {leaf.type === 'erc20' || leaf.type === 'erc721' || leaf.type === 'erc1155' ? (
        <Field
          label="Token contract address"
          id={id('token')}
          error={errors.token}
          hint="EIP-55 checksummed or all lower case."
        >
          {(aria) => (
            <input
              {...aria}
              placeholder="0x…"
              spellCheck={false}
              autoComplete="off"
              value={leaf.token}
              onChange={(e) => update({ token: e.target.value })}
              onBlur={(e) => void lookUpDecimals(e.target.value)}
            />
          )}
        </Field>
      ) : null}
      {leaf.type === 'erc20' ? (
        <Field
          label="Token decimals"
          id={id('decimals')}
          error={errors.decimals}
          hint="Read from the token when your wallet is connected."
        >
          {(aria) => (
            <input
              {...aria}
              inputMode="numeric"
              value={leaf.decimals}
              onChange={(e) => update({ decimals: e.target.value })}
            />
          )}
        </Field>
      ) : null}
      {leaf.type === 'erc721' ? (
        <fieldset>
          <legend>Holders of</legend>
          <label className="inline">
            <input
              type="radio"
              name={id('mode')}
              checked={leaf.nftMode === 'min'}
              onChange={() => update({ nftMode: 'min' })}
            />{' '}
            at least N tokens
          </label>
          <label className="inline">
            <input
              type="radio"
              name={id('mode')}
              checked={leaf.nftMode === 'ids'}
              onChange={() => update({ nftMode: 'ids' })}
            />{' '}
            one of these token ids
          </label>
        </fieldset>
      ) : null}
      {leaf.type === 'erc1155' ? (
        <Field label="Token id" id={id('tokenId')} error={errors.tokenId}>
          {(aria) => (
            <input
              {...aria}
              inputMode="numeric"
              value={leaf.tokenId}
              onChange={(e) => update({ tokenId: e.target.value })}
            />
          )}
        </Field>
      ) : null}
      {leaf.type === 'erc721' && leaf.nftMode === 'ids' ? (
        <Field label="Token ids (comma or space separated)" id={id('ids')} error={errors.tokenIds}>
          {(aria) => (
            <input {...aria} value={leaf.tokenIds} onChange={(e) => update({ tokenIds: e.target.value })} />
          )}
        </Field>
      ) : null}
      {leaf.type === 'erc20' ||
      leaf.type === 'native' ||
      (leaf.type === 'erc721' && leaf.nftMode === 'min') ||
      leaf.type === 'erc1155' ? (
        <Field
          label={
            leaf.type === 'erc20' || leaf.type === 'native'
              ? 'Minimum amount (e.g. 1 or 0.5)'
              : 'Minimum number of tokens'
          }
          id={id('amount')}
          error={errors.amount}
        >
          {(aria) => (
            <input
              {...aria}
              inputMode="decimal"
              value={leaf.amount}
              onChange={(e) => update({ amount: e.target.value })}
            />
          )}
        </Field>
      ) : null}
      {leaf.type === 'allowlist' ? (
        <>
          <Field label="Wallet addresses (one per line)" id={id('addresses')} error={errors.addresses}>
            {(aria) => (
              <textarea
                {...aria}
                rows={3}
                spellCheck={false}
                value={leaf.addresses}
                onChange={(e) => update({ addresses: e.target.value })}
              />
            )}
          </Field>
          <Field label="Emails (one per line)" id={id('emails')} error={errors.emails}>
            {(aria) => (
              <textarea
                {...aria}
                rows={2}
                value={leaf.emails}
                onChange={(e) => update({ emails: e.target.value })}
              />
            )}
          </Field>
        </>
      ) : null}
      {leaf.type === 'role' ? (
        <Field label="Role (or higher)" id={id('role')} error={errors.role}>
          {(aria) => (
            <select
              {...aria}
              value={leaf.role}
              onChange={(e) => update({ role: e.target.value as CommunityRole })}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
    </li>
  );
}

function GroupEditor({
  group,
  root,
  onChange,
  errors,
  showErrors,
  chains,
  depth,
  removable,
}: Props & { group: GroupDraft; root: Draft; depth: number; removable: boolean }) {
  const uid = useId();
  const [toAdd, setToAdd] = useState<string>('erc20');
  const defaultChain = String(chains[0]?.chainId ?? 31337);
  const set = (id: string, change: (d: Draft) => Draft | null) => onChange(updateDraft(root, id, change));
  const groupError = showErrors ? errors[group.id]?.children : undefined;
  return (
    <fieldset className="gate-group">
      <legend>
        <label htmlFor={`${uid}-op`}>
          {depth === 0 ? 'Members get this tier when they meet' : 'Group: meet'}
        </label>{' '}
        <select
          id={`${uid}-op`}
          value={group.op}
          onChange={(e) =>
            set(group.id, (d) => ({ ...(d as GroupDraft), op: e.target.value as 'any' | 'all' }))
          }
        >
          <option value="any">any one of</option>
          <option value="all">all of</option>
        </select>{' '}
        these conditions
      </legend>
      <ul className="gate-children">
        {group.children.map((child) =>
          child.kind === 'leaf' ? (
            <LeafEditor
              key={child.id}
              leaf={child}
              chains={chains}
              errors={showErrors ? (errors[child.id] ?? {}) : {}}
              update={(change) => set(child.id, (d) => ({ ...(d as LeafDraft), ...change }))}
              remove={() => set(child.id, () => null)}
            />
          ) : (
            <li key={child.id}>
              <GroupEditor
                group={child}
                root={root}
                value={root}
                onChange={onChange}
                errors={errors}
                showErrors={showErrors}
                chains={chains}
                depth={depth + 1}
                removable
              />
            </li>
          ),
        )}
      </ul>
      {groupError ? <p className="field-error">{groupError}</p> : null}
      <div className="actions">
        <label htmlFor={`${uid}-add`} className="visually-hidden">
          Condition to add
        </label>
        <select id={`${uid}-add`} value={toAdd} onChange={(e) => setToAdd(e.target.value)}>
          {(Object.keys(LEAF_LABELS) as LeafType[]).map((t) => (
            <option key={t} value={t}>
              {LEAF_LABELS[t]}
            </option>
          ))}
          {depth < 3 ? <option value="group">A group (any/all)</option> : null}
        </select>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            set(group.id, (d) => {
              const g = d as GroupDraft;
              const child = toAdd === 'group' ? newGroup('all') : newLeaf(toAdd as LeafType, defaultChain);
              return { ...g, children: [...g.children, child] };
            })
          }
        >
          Add condition
        </button>
        {removable ? (
          <button type="button" className="link" onClick={() => set(group.id, () => null)}>
            Remove group
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}

/** The gate builder: any/all groups of conditions, validated as you go, compiled to API.md's gate JSON. */
export function GateBuilder(props: Props) {
  const root = props.value;
  const group = root.kind === 'group' ? root : newGroup('any', [root]);
  return <GroupEditor {...props} group={group} root={root} depth={0} removable={false} />;
}

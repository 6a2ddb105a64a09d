import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { Loading } from './components/ui.tsx';
import { CommunityPage } from './pages/community.tsx';
import { DirectoryPage } from './pages/directory.tsx';
import { useSession } from './session.tsx';

// The first load carries the directory and the community page; the rest loads on demand and is
// prefetched when the browser is idle, so navigating does not wait on a spinner.
const loaders = {
  signIn: () => import('./pages/sign-in.tsx'),
  profile: () => import('./pages/profile.tsx'),
  newCommunity: () => import('./pages/new-community.tsx'),
  tiers: () => import('./pages/tiers-editor.tsx'),
  events: () => import('./pages/events.tsx'),
  proposals: () => import('./pages/proposals.tsx'),
  tips: () => import('./pages/tips.tsx'),
  dashboard: () => import('./pages/dashboard.tsx'),
  members: () => import('./pages/members.tsx'),
};
const SignInPage = lazy(() => loaders.signIn().then((m) => ({ default: m.SignInPage })));
const ProfilePage = lazy(() => loaders.profile().then((m) => ({ default: m.ProfilePage })));
const NewCommunityPage = lazy(() => loaders.newCommunity().then((m) => ({ default: m.NewCommunityPage })));
const TiersEditorPage = lazy(() => loaders.tiers().then((m) => ({ default: m.TiersEditorPage })));
const EventsPage = lazy(() => loaders.events().then((m) => ({ default: m.EventsPage })));
const ProposalsPage = lazy(() => loaders.proposals().then((m) => ({ default: m.ProposalsPage })));
const ProposalPage = lazy(() => loaders.proposals().then((m) => ({ default: m.ProposalPage })));
const TipsPage = lazy(() => loaders.tips().then((m) => ({ default: m.TipsPage })));
const DashboardPage = lazy(() => loaders.dashboard().then((m) => ({ default: m.DashboardPage })));
const MembersPage = lazy(() => loaders.members().then((m) => ({ default: m.MembersPage })));

function prefetchWhenIdle() {
  const run = () => {
    for (const load of Object.values(loaders)) void load().catch(() => {});
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 3000 });
  else setTimeout(run, 1500);
}

function Header() {
  const { me } = useSession();
  const [location] = useLocation();
  const current = (path: string) => (location === path ? 'page' : undefined);
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav aria-label="Main" className="nav">
        <Link href="/" className="brand">
          Coterie
        </Link>
        <ul>
          <li>
            <Link href="/" aria-current={current('/')}>
              Communities
            </Link>
          </li>
          {me ? (
            <>
              <li>
                <Link href="/new" aria-current={current('/new')}>
                  Create
                </Link>
              </li>
              <li>
                <Link href="/me" aria-current={current('/me')} data-testid="nav-profile">
                  {me.member.displayName || 'Profile'}
                </Link>
              </li>
            </>
          ) : (
            <li>
              <Link href={`/sign-in?next=${encodeURIComponent(location)}`} aria-current={current('/sign-in')}>
                Sign in
              </Link>
            </li>
          )}
        </ul>
      </nav>
    </header>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Browse communities</Link>.
      </p>
    </section>
  );
}

export function App() {
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(prefetchWhenIdle, []);
  // After client-side navigation: start at the top and put keyboard/screen-reader focus on the page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `location` is the trigger, not an input
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    main.current?.focus({ preventScroll: true });
  }, [location]);

  return (
    <>
      <Header />
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={DirectoryPage} />
            <Route path="/sign-in" component={SignInPage} />
            <Route path="/me" component={ProfilePage} />
            <Route path="/new" component={NewCommunityPage} />
            <Route path="/c/:slug" component={CommunityPage} />
            <Route path="/c/:slug/manage/tiers" component={TiersEditorPage} />
            <Route path="/c/:slug/members" component={MembersPage} />
            <Route path="/c/:slug/events" component={EventsPage} />
            <Route path="/c/:slug/proposals" component={ProposalsPage} />
            <Route path="/c/:slug/proposals/:id" component={ProposalPage} />
            <Route path="/c/:slug/tips" component={TipsPage} />
            <Route path="/c/:slug/dashboard" component={DashboardPage} />
            <Route component={NotFound} />
          </Switch>
        </Suspense>
      </main>
    </>
  );
}

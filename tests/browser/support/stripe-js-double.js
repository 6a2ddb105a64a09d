// A TEST-ONLY stand-in for Stripe.js (https://js.stripe.com/<train>/stripe.js), served by Playwright
// route interception because tests have no internet. It implements only what the web app's card
// form uses through @stripe/stripe-js and @stripe/react-stripe-js: Stripe(pk), elements({clientSecret}),
// elements.create('payment') with mount/on/off/update/destroy, and confirmPayment({elements}), which
// POSTs to https://api.stripe.com/v1/payment_intents/:id/confirm like Stripe.js does (the test
// intercepts that too and answers from its Stripe double). Plain inputs stand in for Stripe's iframe.
(() => {
  const notInDouble = (name) => () =>
    Promise.reject(new Error(`${name} is not part of the Stripe.js test double`));

  function createPaymentElement() {
    const listeners = {};
    const state = { number: '', expiry: '', cvc: '' };
    let root = null;
    const emit = (event, payload) => {
      for (const cb of listeners[event] ?? []) cb(payload);
    };
    const complete = () =>
      state.number.replace(/\s/g, '').length >= 12 &&
      /^\d{2}\s*\/\s*\d{2}$/.test(state.expiry) &&
      state.cvc.length >= 3;
    const field = (name, label, autocomplete) => {
      const wrap = document.createElement('div');
      const id = `stripe-double-${name}`;
      const labelEl = document.createElement('label');
      labelEl.htmlFor = id;
      labelEl.textContent = label;
      const input = document.createElement('input');
      input.id = id;
      input.autocomplete = autocomplete;
      input.inputMode = 'numeric';
      input.addEventListener('input', () => {
        state[name] = input.value;
        emit('change', {
          elementType: 'payment',
          empty: false,
          complete: complete(),
          value: { type: 'card' },
        });
      });
      wrap.append(labelEl, input);
      return wrap;
    };
    return {
      mount(domElement) {
        const target = typeof domElement === 'string' ? document.querySelector(domElement) : domElement;
        root = document.createElement('div');
        root.dataset.stripeDouble = 'payment';
        root.append(
          field('number', 'Card number', 'cc-number'),
          field('expiry', 'Expiration date (MM / YY)', 'cc-exp'),
          field('cvc', 'Security code (CVC)', 'cc-csc'),
        );
        target.append(root);
        setTimeout(() => emit('ready', { elementType: 'payment' }), 0);
      },
      on(event, cb) {
        listeners[event] = [...(listeners[event] ?? []), cb];
        return this;
      },
      off(event, cb) {
        listeners[event] = (listeners[event] ?? []).filter((f) => f !== cb);
        return this;
      },
      update() {},
      focus() {},
      blur() {},
      clear() {},
      collapse() {},
      unmount() {
        root?.remove();
      },
      destroy() {
        root?.remove();
      },
      _state: state,
      _complete: complete,
    };
  }

  function Stripe(publishableKey) {
    const wrappers = [];
    return {
      _registerWrapper(wrapper) {
        wrappers.push(wrapper);
      },
      registerAppInfo() {},
      createToken: notInDouble('createToken'),
      createPaymentMethod: notInDouble('createPaymentMethod'),
      confirmCardPayment: notInDouble('confirmCardPayment'),
      elements(options = {}) {
        let payment = null;
        return {
          _clientSecret: options.clientSecret,
          create(type) {
            if (type !== 'payment') throw new Error(`only the payment element is in the double, not ${type}`);
            payment = createPaymentElement();
            return payment;
          },
          getElement: () => payment,
          update() {},
          fetchUpdates: () => Promise.resolve({}),
          submit: () => Promise.resolve({}),
          _payment: () => payment,
        };
      },
      async confirmPayment({ elements, confirmParams = {} }) {
        const payment = elements._payment();
        if (!payment?._complete()) {
          return {
            error: {
              type: 'validation_error',
              code: 'incomplete',
              message: 'Your card details are incomplete.',
            },
          };
        }
        const clientSecret = elements._clientSecret;
        const id = clientSecret.split('_secret_')[0];
        const body = new URLSearchParams({
          key: publishableKey,
          client_secret: clientSecret,
          'payment_method_data[type]': 'card',
          'payment_method_data[card][number]': payment._state.number.replace(/\s/g, ''),
          return_url: confirmParams.return_url ?? '',
        });
        const response = await fetch(`https://api.stripe.com/v1/payment_intents/${id}/confirm`, {
          method: 'POST',
          body,
        });
        const json = await response.json();
        return json.error ? { error: json.error } : { paymentIntent: json };
      },
    };
  }
  // @stripe/stripe-js compares this with its release train to warn about a mismatch.
  Stripe.version = 'endive';
  window.Stripe = Stripe;
})();
